// OpenBLAS's CBLAS interface (Debian: libopenblas-dev). cblas.h is an alternatives link to the
// openblas-pthread header, which also declares openblas_set_num_threads.
#include <cblas.h>
