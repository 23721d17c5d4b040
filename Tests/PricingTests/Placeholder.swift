import Testing
@testable import Pricing
