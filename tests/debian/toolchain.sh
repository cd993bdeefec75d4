# The CI-sandbox case: gcc, as, ld and make inside the guest.  A
# three-file program built by make -j2 with a static library (ar), run,
# its `make test` failing with the status passed through; a static and a
# -pthread build; the preprocessor and the assembler on their own.
set -u
mkdir p && cd p
cat >util.h <<'C'
int add(int a, int b);
int mul(int a, int b);
C
cat >add.c <<'C'
#include "util.h"
int add(int a, int b) { return a + b; }
C
cat >mul.c <<'C'
#include "util.h"
int mul(int a, int b) { int r = 0; for (int i = 0; i < b; i++) r = add(r, a); return r; }
C
cat >main.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include "util.h"
int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 6;
	printf("add %d mul %d\n", add(n, 7), mul(n, 7));
	return argc > 2 ? atoi(argv[2]) : 0;
}
C
printf 'CFLAGS = -O2 -Wall\nall: prog\nlibutil.a: add.o mul.o\n\tar rcs $@ $^\nprog: main.o libutil.a\n\t$(CC) -o $@ main.o -L. -lutil\ntest: prog\n\t./prog 3 5\nclean:\n\trm -f *.o *.a prog\n.PHONY: all test clean\n' >Makefile
make -s -j2 CC=gcc && echo "built"
./prog; ./prog 11
make -s test CC=gcc; echo "make test exit $?"
ar t libutil.a
gcc -static -O1 -o prog-static main.c add.c mul.c && ./prog-static 2 && file_type=$(head -c 4 prog-static | od -An -c | tr -d ' ') && echo "static: $file_type"
cat >thr.c <<'C'
#include <pthread.h>
#include <stdio.h>
static long total; static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static void *run(void *a) { for (int i = 0; i < 100000; i++) { pthread_mutex_lock(&m); total++; pthread_mutex_unlock(&m); } return a; }
int main(void) { pthread_t t[8]; for (int i = 0; i < 8; i++) pthread_create(&t[i], 0, run, 0); for (int i = 0; i < 8; i++) pthread_join(t[i], 0); printf("threads total %ld\n", total); return 0; }
C
gcc -O2 -pthread -o thr thr.c && ./thr
echo '#define X 40
X + 2' | cpp -P | tr -d ' '
printf '.globl f\nf: mov $42, %%eax\nret\n' >f.s && as -o f.o f.s && nm f.o
echo 'int f(void); int main(void){return f();}' >m.c && gcc -o m m.c f.o; ./m; echo "asm exit $?"
make -s clean && ls -1
