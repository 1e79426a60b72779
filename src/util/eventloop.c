/* The event loop the library's callbacks run in: libvirt's default implementation
 * (on a GLib main context) or the one an application registered instead. */
#include "util/eventloop.h"

#include <glib.h>

/* What virEventRegisterImpl installed, or the built-in functions below. */
static struct {
    virEventAddHandleFunc add_handle;
    virEventUpdateHandleFunc update_handle;
    virEventRemoveHandleFunc remove_handle;
    virEventAddTimeoutFunc add_timeout;
    virEventUpdateTimeoutFunc update_timeout;
    virEventRemoveTimeoutFunc remove_timeout;
} impl;
static GMutex impl_lock;

/* The built-in loop. */
static GMainContext *context;
static GHashTable *sources;     /* id -> GSource* (a reference) */
static GMutex sources_lock;
static int last_id;

typedef struct {
    GSource source;
    int id;
    bool is_timer;
    GPollFD pollfd;             /* handles */
    int frequency;              /* timers: ms, -1 = off, 0 = every iteration */
    gint64 due;                 /* timers: monotonic time of the next fire */
    virEventHandleCallback handle_cb;
    virEventTimeoutCallback timer_cb;
    void *opaque;
    virFreeCallback ff;
} loop_source;

static gushort to_gio(int events)
{
    return (gushort)(((events & VIR_EVENT_HANDLE_READABLE) ? G_IO_IN : 0) |
                     ((events & VIR_EVENT_HANDLE_WRITABLE) ? G_IO_OUT : 0) |
                     ((events & VIR_EVENT_HANDLE_ERROR) ? G_IO_ERR : 0) |
                     ((events & VIR_EVENT_HANDLE_HANGUP) ? G_IO_HUP : 0));
}

static int from_gio(gushort revents)
{
    return ((revents & G_IO_IN) ? VIR_EVENT_HANDLE_READABLE : 0) |
           ((revents & G_IO_OUT) ? VIR_EVENT_HANDLE_WRITABLE : 0) |
           ((revents & G_IO_ERR) ? VIR_EVENT_HANDLE_ERROR : 0) |
           ((revents & G_IO_HUP) ? VIR_EVENT_HANDLE_HANGUP : 0);
}

static void timer_arm(loop_source *s)
{
    if (s->frequency < 0)
        g_source_set_ready_time(&s->source, -1);
    else
        g_source_set_ready_time(&s->source, g_get_monotonic_time() + (gint64)s->frequency * 1000);
}

static gboolean src_check(GSource *source)
{
    loop_source *s = (loop_source *)source;
    return !s->is_timer && (s->pollfd.revents & (s->pollfd.events | G_IO_ERR | G_IO_HUP));
}

static gboolean src_dispatch(GSource *source, GSourceFunc callback, gpointer data)
{
    loop_source *s = (loop_source *)source;

    if (s->is_timer) {
        timer_arm(s);
        s->timer_cb(s->id, s->opaque);
    } else {
        int events = from_gio(s->pollfd.revents);
        s->pollfd.revents = 0;
        s->handle_cb(s->id, s->pollfd.fd, events, s->opaque);
    }
    return G_SOURCE_CONTINUE;
}

static void src_finalize(GSource *source)
{
    loop_source *s = (loop_source *)source;
    if (s->ff)
        s->ff(s->opaque);
}

static GSourceFuncs loop_funcs = {
    .check = src_check,
    .dispatch = src_dispatch,
    .finalize = src_finalize,
};

static int add_source(loop_source *s)
{
    int id;

    /* Attached before the lock is dropped: a remove from another thread can only
     * come after. From then on another thread may dispatch and remove it: use the
     * id only. */
    g_mutex_lock(&sources_lock);
    id = s->id = ++last_id;
    g_hash_table_insert(sources, GINT_TO_POINTER(id), s);
    g_source_attach(&s->source, context);
    g_mutex_unlock(&sources_lock);
    return id;
}

/* The source of id, with a reference (another thread may remove it meanwhile). */
static loop_source *lookup_ref(int id, bool is_timer)
{
    loop_source *s;

    g_mutex_lock(&sources_lock);
    s = sources ? g_hash_table_lookup(sources, GINT_TO_POINTER(id)) : NULL;
    if (s && s->is_timer != is_timer)
        s = NULL;
    if (s)
        g_source_ref(&s->source);
    g_mutex_unlock(&sources_lock);
    return s;
}

static int builtin_add_handle(int fd, int events, virEventHandleCallback cb, void *opaque,
                              virFreeCallback ff)
{
    loop_source *s = (loop_source *)g_source_new(&loop_funcs, sizeof(loop_source));

    s->pollfd.fd = fd;
    s->pollfd.events = to_gio(events);
    s->handle_cb = cb;
    s->opaque = opaque;
    s->ff = ff;
    g_source_add_poll(&s->source, &s->pollfd);
    return add_source(s);
}

static void builtin_update_handle(int watch, int events)
{
    loop_source *s = lookup_ref(watch, false);

    if (s) {
        s->pollfd.events = to_gio(events);
        g_main_context_wakeup(context);
        g_source_unref(&s->source);
    }
}

static int remove_source(int id, bool is_timer)
{
    loop_source *s;

    g_mutex_lock(&sources_lock);
    s = sources ? g_hash_table_lookup(sources, GINT_TO_POINTER(id)) : NULL;
    if (s && s->is_timer == is_timer)
        g_hash_table_remove(sources, GINT_TO_POINTER(id));
    else
        s = NULL;
    g_mutex_unlock(&sources_lock);
    if (!s)
        return -1;
    g_source_destroy(&s->source);
    g_source_unref(&s->source);
    return 0;
}

static int builtin_remove_handle(int watch)
{
    return remove_source(watch, false);
}

static int builtin_add_timeout(int frequency, virEventTimeoutCallback cb, void *opaque,
                               virFreeCallback ff)
{
    loop_source *s = (loop_source *)g_source_new(&loop_funcs, sizeof(loop_source));

    s->is_timer = true;
    s->frequency = frequency;
    s->timer_cb = cb;
    s->opaque = opaque;
    s->ff = ff;
    timer_arm(s);
    return add_source(s);
}

static void builtin_update_timeout(int timer, int frequency)
{
    loop_source *s = lookup_ref(timer, true);

    if (s) {
        s->frequency = frequency;
        timer_arm(s);
        g_source_unref(&s->source);
    }
}

static int builtin_remove_timeout(int timer)
{
    return remove_source(timer, true);
}

int eventloop_register_default(void)
{
    g_mutex_lock(&impl_lock);
    if (!context) {
        context = g_main_context_new();
        sources = g_hash_table_new(g_direct_hash, g_direct_equal);
    }
    impl.add_handle = builtin_add_handle;
    impl.update_handle = builtin_update_handle;
    impl.remove_handle = builtin_remove_handle;
    impl.add_timeout = builtin_add_timeout;
    impl.update_timeout = builtin_update_timeout;
    impl.remove_timeout = builtin_remove_timeout;
    g_mutex_unlock(&impl_lock);
    return 0;
}

int eventloop_run_default(void)
{
    if (!context)
        return -1;
    g_main_context_iteration(context, TRUE);
    return 0;
}

void eventloop_register_impl(virEventAddHandleFunc add_handle, virEventUpdateHandleFunc update_handle,
                             virEventRemoveHandleFunc remove_handle, virEventAddTimeoutFunc add_timeout,
                             virEventUpdateTimeoutFunc update_timeout,
                             virEventRemoveTimeoutFunc remove_timeout)
{
    g_mutex_lock(&impl_lock);
    impl.add_handle = add_handle;
    impl.update_handle = update_handle;
    impl.remove_handle = remove_handle;
    impl.add_timeout = add_timeout;
    impl.update_timeout = update_timeout;
    impl.remove_timeout = remove_timeout;
    g_mutex_unlock(&impl_lock);
}

bool eventloop_available(void)
{
    bool ok;

    g_mutex_lock(&impl_lock);
    ok = impl.add_timeout != NULL;
    g_mutex_unlock(&impl_lock);
    return ok;
}

/* Call through the registered implementation, outside the lock. */
#define CALL(member, fallback, ...) \
    do { \
        __typeof__(impl.member) fn; \
        g_mutex_lock(&impl_lock); \
        fn = impl.member; \
        g_mutex_unlock(&impl_lock); \
        if (!fn) \
            return fallback; \
        return fn(__VA_ARGS__); \
    } while (0)

int eventloop_add_handle(int fd, int events, virEventHandleCallback cb, void *opaque,
                         virFreeCallback ff)
{
    CALL(add_handle, -1, fd, events, cb, opaque, ff);
}

void eventloop_update_handle(int watch, int events)
{
    CALL(update_handle, , watch, events);
}

int eventloop_remove_handle(int watch)
{
    CALL(remove_handle, -1, watch);
}

int eventloop_add_timeout(int frequency, virEventTimeoutCallback cb, void *opaque,
                          virFreeCallback ff)
{
    CALL(add_timeout, -1, frequency, cb, opaque, ff);
}

void eventloop_update_timeout(int timer, int frequency)
{
    CALL(update_timeout, , timer, frequency);
}

int eventloop_remove_timeout(int timer)
{
    CALL(remove_timeout, -1, timer);
}
