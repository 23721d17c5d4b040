/// Persisted sessions, messages and usage rows in SQLite through GRDB.
import AgentCore
import GRDB
