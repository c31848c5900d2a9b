import Testing
@testable import Commerce
