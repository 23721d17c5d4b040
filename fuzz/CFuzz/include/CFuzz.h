#ifndef CFUZZ_H
#define CFUZZ_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt FuzzerInterface.h): runs the fuzzing loop on `callback`
/// with libFuzzer's command-line flags. Used instead of libFuzzer's own `main` because
/// SwiftPM renames an executable's entry point in debug builds.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
