/* Enum <-> string conversion through one table beside each enum. */
#pragma once

#include <string.h>
#include <glib.h>

/* Declare name_to_string(int) and name_from_string(const char *) (-1 if unknown). */
#define ENUM_DECL(name) \
    const char *name##_to_string(int value); \
    int name##_from_string(const char *str)

/* Define them from the strings for values 0 .. last-1, in order. */
#define ENUM_IMPL(name, last, ...) \
    static const char *const name##_strings[] = { __VA_ARGS__ }; \
    G_STATIC_ASSERT(G_N_ELEMENTS(name##_strings) == (last)); \
    const char *name##_to_string(int value) \
    { \
        return value >= 0 && value < (int)(last) ? name##_strings[value] : NULL; \
    } \
    int name##_from_string(const char *str) \
    { \
        for (int i = 0; str && i < (int)(last); i++) \
            if (name##_strings[i] && strcmp(name##_strings[i], str) == 0) \
                return i; \
        return -1; \
    }
