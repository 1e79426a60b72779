/* Hand-written documents for the schema equivalence test, with their documented verdicts. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *what;
    const char *xml;         /* the document (newer_cases: file under the corpus) */
    const char *file;
    bool valid;              /* 9.0's xmllint accepts it */
    bool extension;          /* refused by 9.0's schema, accepted as newer upstream does */
    bool any_error;          /* refused, with an error other than the schema's */
    int code;                /* schema-valid but refused by libvirt's parser: its error */
    int domain;
    const char *message;
} schema_case;

extern const schema_case checkpoint_cases[];
extern const size_t n_checkpoint_cases;
extern const schema_case backup_cases[];
extern const size_t n_backup_cases;
extern const schema_case newer_cases[];
extern const size_t n_newer_cases;
