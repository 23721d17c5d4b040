// NcursesBackend module.
