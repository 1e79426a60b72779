/* Helper of the reattach test: another process using the same root through the
 * public API only.
 *   start ROOT XMLFILE [transient]   define and start (or create) the domain, then
 *                                    exit without stopping it (QEMU must survive)
 *   hold ROOT                        open the root, say "ready", keep it open until
 *                                    stdin closes
 *   open ROOT                        try to open the root; print the error
 * Exit status: 0 on success, 2 when the connection or the start failed. */
#include <stdio.h>
#include <string.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static void quiet(void *data, virErrorPtr err)
{
}

static virConnectPtr open_root(const char *root)
{
    char uri[4096];
    virConnectPtr conn;

    snprintf(uri, sizeof(uri), "qemu:///embed?root=%s", root);
    conn = virConnectOpen(uri);
    if (!conn)
        printf("error %d: %s\n", virGetLastErrorCode(), virGetLastErrorMessage());
    return conn;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    static char buf[65536];
    size_t n;

    if (!f)
        return NULL;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    return buf;
}

static int start(const char *root, const char *file, int transient)
{
    virConnectPtr conn = open_root(root);
    const char *xml = read_file(file);
    virDomainPtr dom;

    if (!conn || !xml)
        return 2;
    if (transient) {
        dom = virDomainCreateXML(conn, xml, 0);
    } else {
        dom = virDomainDefineXML(conn, xml);
        if (dom && virDomainCreate(dom) < 0)
            dom = NULL;
    }
    if (!dom) {
        printf("error %d: %s\n", virGetLastErrorCode(), virGetLastErrorMessage());
        return 2;
    }
    printf("started %u\n", virDomainGetID(dom));
    fflush(stdout);
    return 0;   /* no destroy, no close: the process just goes away */
}

static int hold(const char *root)
{
    virConnectPtr conn = open_root(root);
    char c;

    if (!conn)
        return 2;
    printf("ready\n");
    fflush(stdout);
    while (fread(&c, 1, 1, stdin) == 1) {
    }
    virConnectClose(conn);
    return 0;
}

int main(int argc, char **argv)
{
    virSetErrorFunc(NULL, quiet);
    if (argc >= 4 && strcmp(argv[1], "start") == 0)
        return start(argv[2], argv[3], argc > 4 && strcmp(argv[4], "transient") == 0);
    if (argc == 3 && strcmp(argv[1], "hold") == 0)
        return hold(argv[2]);
    if (argc == 3 && strcmp(argv[1], "open") == 0) {
        virConnectPtr conn = open_root(argv[2]);
        if (!conn)
            return 2;
        virConnectClose(conn);
        return 0;
    }
    fprintf(stderr, "usage: %s start ROOT XMLFILE [transient] | hold ROOT | open ROOT\n", argv[0]);
    return 1;
}
