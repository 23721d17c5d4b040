import Testing
@testable import AgentTools
