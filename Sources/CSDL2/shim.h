// SDL2 (Debian: libsdl2-dev). Declared without pkg-config, whose -D_REENTRANT SwiftPM warns about.
#define SDL_MAIN_HANDLED 1
#include <SDL2/SDL.h>
