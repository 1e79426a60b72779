/* Connection URIs: driver[+transport]://[user@][server][:port]/path[?k=v&...]. */
#include "util/uri.h"

#include <string.h>
#include "util/error.h"

void uri_free(parsed_uri *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->nparams; i++) {
        g_free(u->params[i].key);
        g_free(u->params[i].value);
    }
    g_free(u->params);
    g_free(u->text);
    g_free(u->scheme);
    g_free(u->transport);
    g_free(u->user);
    g_free(u->server);
    g_free(u->path);
    g_free(u);
}

static void parse_query(parsed_uri *u, const char *query)
{
    g_auto(GStrv) pairs = g_strsplit(query, "&", -1);

    for (char **p = pairs; *p; p++) {
        char *eq = strchr(*p, '=');
        if (!**p)
            continue;
        u->params = g_renew(uri_param, u->params, u->nparams + 1);
        u->params[u->nparams].key = g_uri_unescape_segment(*p, eq, NULL);
        u->params[u->nparams].value = g_uri_unescape_string(eq ? eq + 1 : "", NULL);
        u->nparams++;
    }
}

parsed_uri *uri_parse(const char *text)
{
    g_autoptr(GError) gerr = NULL;
    g_autoptr(GUri) g = g_uri_parse(text, G_URI_FLAGS_ENCODED_QUERY | G_URI_FLAGS_NON_DNS, &gerr);
    parsed_uri *u;
    const char *plus;

    if (!g) {
        error_report(VIR_FROM_URI, VIR_ERR_INVALID_ARG, "Unable to parse URI %s", text);
        return NULL;
    }
    u = g_new0(parsed_uri, 1);
    u->text = g_strdup(text);
    plus = strchr(g_uri_get_scheme(g), '+');
    u->scheme = plus ? g_strndup(g_uri_get_scheme(g), plus - g_uri_get_scheme(g))
                     : g_strdup(g_uri_get_scheme(g));
    u->transport = plus ? g_strdup(plus + 1) : NULL;
    u->user = g_strdup(g_uri_get_user(g));
    u->server = g_strdup(g_uri_get_host(g));
    if (u->server && !*u->server)
        g_clear_pointer(&u->server, g_free);
    u->port = g_uri_get_port(g) > 0 ? g_uri_get_port(g) : 0;
    u->path = g_strdup(g_uri_get_path(g));
    if (g_uri_get_query(g))
        parse_query(u, g_uri_get_query(g));
    return u;
}

const char *uri_param_get(const parsed_uri *u, const char *key)
{
    for (size_t i = 0; i < u->nparams; i++)
        if (strcmp(u->params[i].key, key) == 0)
            return u->params[i].value;
    return NULL;
}
