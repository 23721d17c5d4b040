// MockLLMServer module.
