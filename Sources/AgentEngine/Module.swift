// AgentEngine module.
