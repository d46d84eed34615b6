/* A main for the fuzz harnesses without libFuzzer: runs the harness's
 * LLVMFuzzerTestOneInput once on every file named, and on every file in
 * every folder named (sorted, dot files skipped), as libFuzzer does when
 * given files.  tests/CMakeLists.txt builds each harness with it, with any
 * compiler, and replays tests/fuzz/regressions/HARNESS and
 * tests/fuzz/corpus/HARNESS, so what the fuzzer once found stays fixed in
 * every build (under ASan and UBSan in .ci/run's second build).
 *
 * usage: replay_HARNESS FILE|DIR...   (exit 0, or a crash; 2: unreadable) */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    LLVMFuzzerTestOneInput(b, n);
    free(b);
    return 0;
}

static int skip_dots(const struct dirent *e) { return e->d_name[0] != '.'; }

int main(int argc, char **argv) {
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
                if (rc != 0) return 2;
                files++;
            }
            free(names);
        } else {
            if (replay_file(argv[i]) != 0) return 2;
            files++;
        }
    }
    printf("replayed %zu files\n", files);
    return 0;
}
