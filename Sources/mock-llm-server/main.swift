print("mock-llm-server: not built yet")
