import Testing
@testable import Queue
