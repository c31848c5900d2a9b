import Testing
@testable import GP
