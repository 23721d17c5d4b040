/// Prices, exact costs, pricing sources and budgets.
import AgentCore
