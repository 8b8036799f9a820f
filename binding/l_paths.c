/* l_paths.c — where oversim finds its own files: the scenarios, the plot
 * modules, the demo and the page.
 * Owns: oversim_lua_home, oversim_lua_find, oversim_lua_search_text
 *       (oversim_lua.h); l_search_folder, l_find, l_search_text (l_internal.h).
 * Uses: glibc's dladdr and getauxval (which file holds this code: the oversim
 *       command, a test, or oversim.so loaded by a Lua interpreter), POSIX
 *       realpath and access, the environment (OVERSIM_PATH). */
#define _GNU_SOURCE
#include "oversim_lua.h"
#include "l_internal.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

/* CMakeLists.txt defines these; the fallbacks keep a stray compile working */
#ifndef OVERSIM_SOURCE_DIR
#define OVERSIM_SOURCE_DIR "."
#endif
#ifndef OVERSIM_BUILD_DIR
#define OVERSIM_BUILD_DIR OVERSIM_SOURCE_DIR
#endif
#ifndef OVERSIM_EXE_TO_DATA
#define OVERSIM_EXE_TO_DATA "../share/oversim"
#endif
#ifndef OVERSIM_MODULE_TO_DATA
#define OVERSIM_MODULE_TO_DATA "../../../share/oversim"
#endif

static char home[2 * PATH_MAX]; /* a folder (< PATH_MAX) and a relative path */
static pthread_once_t home_once = PTHREAD_ONCE_INIT;

/* The file holding this code, resolved, into buf: 1 when it is a shared
 * object (oversim.so, loaded by an interpreter), 0 when it is the program
 * itself (the oversim command, a test), -1 when that cannot be told. The
 * program is the object that holds its own program headers (AT_PHDR). */
static int own_file(char *buf)
{
    Dl_info self, prog;
    void *phdr = (void *)getauxval(AT_PHDR);
    if (!dladdr((void *)&own_file, &self))
        return -1;
    if (phdr && dladdr(phdr, &prog) && prog.dli_fbase == self.dli_fbase)
        return realpath("/proc/self/exe", buf) ? 0 : -1;
    return self.dli_fname && realpath(self.dli_fname, buf) ? 1 : -1;
}

/* dir (resolved) is folder, or with below != 0 a folder inside it */
static int inside(const char *dir, const char *folder, int below)
{
    char real[PATH_MAX];
    if (!realpath(folder, real))
        return 0;
    size_t n = strlen(real);
    return strncmp(dir, real, n) == 0 && (dir[n] == 0 || (below && dir[n] == '/'));
}

/* home = dir joined with rel, each leading "../" of rel taking the last
 * component off dir, so messages name /opt/x/share/oversim, not
 * /opt/x/bin/../share/oversim. An absolute rel (an install configured with
 * absolute folders: not relocatable) is used as it is. */
static void set_home(char *dir, const char *rel)
{
    if (rel[0] == '/') {
        snprintf(home, sizeof home, "%s", rel);
        return;
    }
    while (strncmp(rel, "../", 3) == 0) {
        char *slash = strrchr(dir, '/');
        if (!slash)
            break;
        slash[slash == dir] = 0; /* "/bin" -> "/" */
        rel += 3;
    }
    size_t n = strlen(dir);
    snprintf(home, sizeof home, "%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", rel);
}

static void find_home(void)
{
    char file[PATH_MAX];
    int kind = own_file(file);
    char *slash = kind >= 0 ? strrchr(file, '/') : NULL;
    if (!slash) { /* cannot tell where we are: the build's own source tree */
        snprintf(home, sizeof home, "%s", OVERSIM_SOURCE_DIR);
        return;
    }
    slash[slash == file] = 0; /* the file's folder */
    /* the build folder holds the command and oversim.so, tests/ the tests
     * (an install prefix inside the build folder is still an install) */
    if (inside(file, OVERSIM_BUILD_DIR, 0) || inside(file, OVERSIM_BUILD_DIR "/tests", 1))
        snprintf(home, sizeof home, "%s", OVERSIM_SOURCE_DIR);
    else
        set_home(file, kind ? OVERSIM_MODULE_TO_DATA : OVERSIM_EXE_TO_DATA);
}

const char *oversim_lua_home(void)
{
    pthread_once(&home_once, find_home);
    return home;
}

const char *l_search_folder(int i, int scenarios, char *buf, size_t n)
{
    if (i == 0)
        return ".";
    i--;
    for (const char *p = scenarios ? getenv("OVERSIM_PATH") : NULL; p && *p;) {
        size_t len = strcspn(p, ":");
        if (len > 0 && i-- == 0) {
            snprintf(buf, n, "%.*s", (int)len, p);
            return buf;
        }
        p += len + (p[len] == ':');
    }
    return i == 0 ? oversim_lua_home() : NULL;
}

int l_find(const char *rel, int scenarios, char *buf, size_t n)
{
    char folder[PATH_MAX];
    const char *dir;
    if (!buf || n == 0)
        return 0;
    for (int i = 0; (dir = l_search_folder(i, scenarios, folder, sizeof folder)); i++) {
        if (i == 0)
            snprintf(buf, n, "%s", rel); /* as named: "scenarios/x.lua:3: ..." */
        else
            snprintf(buf, n, "%s/%s", dir, rel);
        if (access(buf, R_OK) == 0)
            return 1;
    }
    return 0;
}

void l_search_text(int scenarios, char *buf, size_t n)
{
    char folders[2][PATH_MAX]; /* folder i is written into folders[i % 2] */
    size_t len = (size_t)snprintf(buf, n, "here");
    const char *dir = l_search_folder(1, scenarios, folders[1], PATH_MAX);
    for (int i = 2; dir; i++) {
        const char *next = l_search_folder(i, scenarios, folders[i % 2], PATH_MAX);
        if (len < n)
            len += (size_t)snprintf(buf + len, n - len, "%s in %s", next ? "," : " or", dir);
        dir = next;
    }
}

int oversim_lua_find(const char *rel, char *buf, size_t n)
{
    return l_find(rel, 0, buf, n);
}

void oversim_lua_search_text(char *buf, size_t n)
{
    l_search_text(0, buf, n);
}
