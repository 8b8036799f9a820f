/* plot_helpers.h — what the `oversim plot` tests share (tests/test_plot.c,
 * tests/test_plot_input.c): a shell command's output, gnuplot's presence,
 * and the checks of a written figure. */
#ifndef OVERSIM_TEST_PLOT_HELPERS_H
#define OVERSIM_TEST_PLOT_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lua_harness.h"
#include "files.h"

static inline void need_gnuplot(void)
{
    char buf[256];
    if (sh("command -v gnuplot", buf, sizeof buf) != 0)
        fail_msg("gnuplot is not installed, and `oversim plot` needs it: install the "
                 "Debian package gnuplot-nox (./run.sh does)");
}

static inline long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* No file in dir whose name contains ".tmp" (half-written figures). */
static inline void assert_no_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp"))
            fail_msg("temporary file left behind: %s/%s", dir, e->d_name);
    closedir(d);
}

/* Figure <base>_<fig> exists as non-empty SVG and PNG in dir; the SVG's text
 * names every string in `names` (NULL-terminated). */
static inline void assert_figure_of(const char *dir, const char *base, const char *fig,
                                    const char *const *names)
{
    char p[512];
    if (snprintf(p, sizeof p, "%s/%s_%s.png", dir, base, fig) >= (int)sizeof p)
        fail_msg("path too long: %s/%s_%s.png", dir, base, fig);
    long n = file_size(p);
    if (n <= 0)
        fail_msg("%s: missing or empty", p);
    FILE *f = fopen(p, "rb");
    unsigned char magic[8] = { 0 };
    assert_int_equal(fread(magic, 1, 8, f), 8);
    fclose(f);
    assert_memory_equal(magic, "\x89PNG\r\n\x1a\n", 8);
    if (snprintf(p, sizeof p, "%s/%s_%s.svg", dir, base, fig) >= (int)sizeof p)
        fail_msg("path too long: %s/%s_%s.svg", dir, base, fig);
    char *svg = slurp(p);
    if (!svg || !*svg)
        fail_msg("%s: missing or empty", p);
    assert_non_null(strstr(svg, "<svg"));
    for (int i = 0; names[i]; i++)
        if (!strstr(svg, names[i]))
            fail_msg("%s does not name the series '%s'", p, names[i]);
    free(svg);
}

#endif
