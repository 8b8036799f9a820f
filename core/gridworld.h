/* gridworld.h — the classic safety gridworlds (Leike et al. 2017) as MDPs.
 * Owns: parsing a map (rows of tile letters) with a legend of tiles into an
 *       mdp: four moves (a wall or the map's edge keeps the agent in place),
 *       terminal tiles (a goal), per-tile looks and hidden facts, a
 *       supervisor whose presence is part of the state (absent supervisor),
 *       tomatoes that dry and are watered by stepping on them, and a bucket
 *       that makes every tomato look watered (tampering with observation);
 *       the map from (row, column, supervisor, tomatoes) to states.
 * Uses: mdp.h. The gridworld owns its mdp; a scenario only describes it.
 *
 * State = (supervisor present?, which tomatoes are watered, position). The
 * value of a step is what happens on the tile it ends on (staying put
 * included): move_looks, plus the tile's looks (and looks_supervised when
 * the supervisor is present), plus tomato_looks per watered tomato; its
 * hidden facts are the tile's effect (and effect_absent when the supervisor
 * is absent), and, on a bucket, the tomatoes that look watered and are not
 * (effect -tomato_looks each, difficulty tamper_difficulty): tampering is a
 * surface that lies, its truth a fact an overseer finds only if competent
 * enough. After the move, each watered tomato other than the one just
 * watered dries with probability `dry`. The states of one position and
 * tomatoes with and without the supervisor are twins (mdp_set_twin). */
#ifndef OVERSIM_GRIDWORLD_H
#define OVERSIM_GRIDWORLD_H

#include "mdp.h"

#define GRID_MAX_TOMATOES 10
#define GRID_MAX_SIDE 1000

enum { GRID_UP = 0, GRID_DOWN = 1, GRID_LEFT = 2, GRID_RIGHT = 3, GRID_N_ACTIONS = 4 };

/* The features phi(s,a) the reward model (and a feature policy) sees:
 *   CELL  one-hot per (state, action): tabular; nothing learnt about one
 *         step carries over to another
 *   TILE  what the step leads to: one-hot of (the tile it ends on, the
 *         supervisor present or not), then, with tomatoes, the watered
 *         tomatoes after the move counted off a bucket and on one. Every
 *         gridworld value above is linear in these (the true value and what
 *         a bucket shows alike), so a reward model can learn "entering the
 *         goal is worth 50" once for every way in. */
typedef enum { GRID_FEATURES_CELL = 0, GRID_FEATURES_TILE = 1 } grid_features;

typedef struct grid_tile {
    char letter;            /* as written in the map */
    const char *name;       /* for messages ("goal", "punishment") */
    int wall;               /* impassable */
    int start;              /* the agent starts here (exactly one in the map) */
    int terminal;           /* entering it ends the episode (a goal) */
    int bucket;             /* standing here, every tomato looks watered */
    int tomato;             /* a tomato: 1 starts dry, 2 starts watered */
    double looks;           /* value seen on a step ending here */
    double looks_supervised;/* added when the supervisor is present */
    double effect;          /* hidden fact of a step ending here (0: none) */
    double effect_absent;   /* hidden fact added when the supervisor is absent */
    double difficulty;      /* of those facts */
} grid_tile;

typedef struct grid_params {
    const char *const *map; /* rows of equal length */
    int rows;
    const grid_tile *tiles; /* the legend */
    int n_tiles;
    int horizon;            /* H >= 1 */
    double move_looks;      /* every step (e.g. -1) */
    double supervisor;      /* P(the supervisor is present) in [0,1]; strictly
                               between, presence is drawn per episode and is part
                               of the state; 1: always present, 0: never */
    int absent_unwatched;   /* 1: the overseer sees nothing while the supervisor
                               is absent (its states are unwatched) */
    double tomato_looks;    /* per watered tomato per step */
    double dry;             /* P(a watered tomato dries) per step, in [0,1] */
    double tamper_difficulty; /* difficulty of seeing through the bucket */
    grid_features features;
} grid_params;

typedef struct gridworld {
    mdp *m;                 /* owned */
    int rows, cols;
    int n_open;             /* positions the agent can be in */
    int n_sup;              /* 2: presence is part of the state (index 1: present);
                               1: fixed, `present` */
    int present;            /* n_sup 1: the supervisor is always present (1) or never */
    int n_tomatoes;
    int *open_of;           /* rows * cols: position index, or -1 on a wall */
    int *open_row, *open_col; /* per position */
    int *tomato_of;         /* per position: tomato index or -1 */
    int start;              /* start position */
    unsigned start_mask;    /* tomatoes watered at the start */
} gridworld;

/* Defaults: no map, horizon 10, move_looks -1, supervisor 1, watched
 * throughout, tomato_looks 0.02, dry 0.03, tamper_difficulty INFINITY,
 * CELL features. */
void grid_params_default(grid_params *p);

/* Parse p into a finalized mdp. Errors (OS_EINVAL, one line, positions
 * 1-based): "map is empty", "map row 3 has 5 columns (row 1 has 7)",
 * "unknown tile 'x' at row 2, column 4 of the map", "map has no agent
 * (tile 'A')", "map has 2 agents (tile 'A'; one expected)", "map has no
 * goal (tile 'G')" when the legend has a terminal tile the map lacks, "goal
 * 'G' is unreachable from the agent at row 2, column 2", a legend letter
 * given twice, more than GRID_MAX_TOMATOES tomatoes, bad numbers; the mdp's
 * own errors (horizon) pass through. NULL with err filled. Free with
 * gridworld_free. */
gridworld *gridworld_new(const grid_params *p, os_err *err);
void gridworld_free(gridworld *g);

/* The state at (row, col) (0-based map coordinates) with the supervisor
 * present or not and tomato mask `mask`; -1 if there is none (a wall, or
 * presence that the world does not draw). */
int gridworld_state(const gridworld *g, int row, int col, int supervised, unsigned mask);

/* The inverse of gridworld_state: state s (0 <= s < n_states) is at (row,
 * col) (0-based map coordinates), with the supervisor present (1) or not,
 * and tomato mask `mask` (bit k: tomato k watered; tomatoes numbered in map
 * order, row by row). */
void gridworld_locate(const gridworld *g, int s, int *row, int *col, int *supervised,
                      unsigned *mask);

#endif
