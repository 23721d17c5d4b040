#ifndef SWIFTCODER_CNCURSESW_SHIM_H
#define SWIFTCODER_CNCURSESW_SHIM_H
/* The wide-character API needs NCURSES_WIDECHAR; SwiftPM drops pkg-config's
   -D_XOPEN_SOURCE=600, so define it here. Every C target that includes ncurses
   must use the same define (the WINDOW layout depends on it). */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <ncurses.h>

/* Attribute macros are casts/shifts Swift cannot import: expose them as constants. */
static const attr_t sc_attr_normal = A_NORMAL;
static const attr_t sc_attr_bold = A_BOLD;
static const attr_t sc_attr_dim = A_DIM;
static const attr_t sc_attr_italic = A_ITALIC;
static const attr_t sc_attr_underline = A_UNDERLINE;
static const attr_t sc_attr_reverse = A_REVERSE;

/* Mouse masks are macros built from shifts. */
static inline mmask_t sc_mouse_wheel_mask(void) { return BUTTON4_PRESSED | BUTTON5_PRESSED; }
static inline int sc_mouse_is_wheel_up(mmask_t state) { return (state & BUTTON4_PRESSED) != 0; }
static inline int sc_mouse_is_wheel_down(mmask_t state) { return (state & BUTTON5_PRESSED) != 0; }

/* Globals are not concurrency-safe in Swift 6: read them through functions. */
static inline WINDOW *sc_stdscr(void) { return stdscr; }
static inline int sc_colors(void) { return COLORS; }
static inline int sc_color_pairs(void) { return COLOR_PAIRS; }
static inline FILE *sc_stdout(void) { return stdout; }
static inline FILE *sc_stdin(void) { return stdin; }
#endif
