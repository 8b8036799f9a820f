/* version.h — the oversim version string, one place. */
#ifndef OVERSIM_VERSION_H
#define OVERSIM_VERSION_H
#define OVERSIM_VERSION "0.1.0"
#endif
