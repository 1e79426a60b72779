/* Connection URIs: driver[+transport]://[user@][server][:port]/path[?k=v&...]. */
#pragma once

#include <glib.h>

typedef struct {
    char *key;
    char *value;
} uri_param;

typedef struct {
    char *text;        /* the URI as given */
    char *scheme;      /* "test", "qemu" */
    char *transport;   /* "unix", "ssh", ... after '+'; NULL if none */
    char *user;
    char *server;
    int port;          /* 0 when absent */
    char *path;        /* "/default", "/session", "/embed", "/abs/node.xml" */
    uri_param *params;
    size_t nparams;
} parsed_uri;

/* Parse text; VIR_ERR_INVALID_ARG (VIR_FROM_URI) when it is not a URI. */
parsed_uri *uri_parse(const char *text);
void uri_free(parsed_uri *u);
/* Value of query parameter key, or NULL. */
const char *uri_param_get(const parsed_uri *u, const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(parsed_uri, uri_free)
