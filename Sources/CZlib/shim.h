// zlib (Debian: zlib1g-dev), for PNG encoding.
#include <zlib.h>
