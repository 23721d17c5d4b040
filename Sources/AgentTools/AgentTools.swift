/// Built-in tools: read, write, edit, list, find, search and run commands, confined to the project.
import AgentCore
