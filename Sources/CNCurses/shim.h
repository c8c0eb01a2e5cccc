#ifndef NNTOP_CNCURSES_SHIM_H
#define NNTOP_CNCURSES_SHIM_H
/* SwiftPM drops the -D_XOPEN_SOURCE that pkg-config prints, so ask for the wide API here. */
#define NCURSES_WIDECHAR 1
#include <locale.h>
#include <ncurses.h>

/* Globals Swift 6 flags as not concurrency-safe, read through functions instead. */
static inline WINDOW *nntop_stdscr(void) { return stdscr; }
static inline int nntop_lines(void) { return LINES; }
static inline int nntop_cols(void) { return COLS; }
static inline int nntop_colors(void) { return COLORS; }
static inline int nntop_color_pairs(void) { return COLOR_PAIRS; }
static inline int nntop_key_f(int n) { return KEY_F(n); }
static inline attr_t nntop_attr_bold(void) { return A_BOLD; }
static inline attr_t nntop_attr_reverse(void) { return A_REVERSE; }
static inline attr_t nntop_attr_dim(void) { return A_DIM; }
static inline attr_t nntop_attr_underline(void) { return A_UNDERLINE; }
#endif
