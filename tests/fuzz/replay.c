/* A main for the fuzz harnesses without libFuzzer: runs the harness's
 * LLVMFuzzerTestOneInput once on every file named, and on every file in
 * every folder named (sorted, dot files skipped), as libFuzzer does when
 * given files.  tests/CMakeLists.txt builds each harness with it, with any
 * compiler, and replays tests/fuzz/regressions/HARNESS and
 * tests/fuzz/corpus/HARNESS, so what the fuzzer once found stays fixed in
 * every build (under ASan and UBSan in .ci/run's second build).  An input
 * may take at most REPLAY_SECONDS and the process at most REPLAY_MAX_MB
 * of memory, as libFuzzer's -timeout=10 -rss_limit_mb=2048 in run.sh, so
 * a former hang or memory blow-up fails here too.
 *
 * usage: replay_HARNESS FILE|DIR...
 * (exit 0; a crash; 1: an input over the time or memory bound; 2: unreadable) */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define REPLAY_SECONDS 10
#define REPLAY_STR(x) #x
#define REPLAY_TEXT(x) REPLAY_STR(x)
#define REPLAY_MAX_MB 2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void too_slow(int sig) {
    (void)sig;
    static const char msg[] = "replay: the input took more than "
                              REPLAY_TEXT(REPLAY_SECONDS) " s\n";
    if (write(2, msg, sizeof msg - 1) < 0) _exit(1);
    _exit(1);
}

static int replay_file(const char *path) {
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        if (f) fclose(f);
        return -1;
    }
    size_t n = (size_t)st.st_size;
    /* exactly n bytes, so ASan sees a read past the input's end */
    uint8_t *b = malloc(n ? n : 1);
    if (!b || fread(b, 1, n, f) != n) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        fclose(f);
        free(b);
        return -1;
    }
    fclose(f);
    fprintf(stderr, "replay: %s\n", path);
    alarm(REPLAY_SECONDS);
    LLVMFuzzerTestOneInput(b, n);
    alarm(0);
    free(b);
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss / 1024 > REPLAY_MAX_MB) {
        fprintf(stderr, "replay: the input took %ld MB (at most %d)\n",
                ru.ru_maxrss / 1024, REPLAY_MAX_MB);
        return 1;
    }
    return 0;
}

static int skip_dots(const struct dirent *e) { return e->d_name[0] != '.'; }

int main(int argc, char **argv) {
    signal(SIGALRM, too_slow);
    size_t files = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            struct dirent **names = NULL;
            int n = scandir(argv[i], &names, skip_dots, alphasort);
            if (n < 0) {
                fprintf(stderr, "replay: cannot list %s\n", argv[i]);
                return 2;
            }
            for (int k = 0; k < n; k++) {
                size_t len = strlen(argv[i]) + strlen(names[k]->d_name) + 2;
                char *path = malloc(len);
                if (!path) return 2;
                snprintf(path, len, "%s/%s", argv[i], names[k]->d_name);
                int rc = replay_file(path);
                free(path);
                free(names[k]);
                if (rc != 0) return rc < 0 ? 2 : 1;
                files++;
            }
            free(names);
        } else {
            int rc = replay_file(argv[i]);
            if (rc != 0) return rc < 0 ? 2 : 1;
            files++;
        }
    }
    printf("replayed %zu files\n", files);
    return 0;
}
