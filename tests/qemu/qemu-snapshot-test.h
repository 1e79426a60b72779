/* Shared by the snapshot tests of the QEMU driver: a domain with two small qcow2
 * disks (vda virtio, booting a guest whose RAM keeps changing; sda scsi), raw
 * reference images that receive every write the disks receive, references saved at
 * each snapshot, and comparisons of the disks with them (qemu-img compare -U). */
#pragma once

#include "drivers/qemu/qemu_driver.h"
#include "qemu-driver-test.h"

#define DISK_SIZE (4 * MiB)
#define NDISKS 2

static const char *const vm_dsts[NDISKS] = { "vda", "sda" };

typedef struct {
    char *name;
    char *dir;                  /* its images and references */
    char *ref[NDISKS];          /* raw references of vda and sda */
    virDomainPtr dom;
} vm;

/* A boot sector that increments the dword at 0x7e00 for ever: RAM keeps changing. */
static inline bool write_counter_disk(const char *path)
{
    static const unsigned char code[] = {
        0xFA, 0x31, 0xC0, 0x8E, 0xD8,              /* cli; xor ax,ax; mov ds,ax */
        0x66, 0xFF, 0x06, 0x00, 0x7E,              /* inc dword [0x7e00] */
        0xEB, 0xF9,                                /* jmp back */
    };
    return write_boot_disk(path, code, sizeof(code)) && truncate(path, (off_t)DISK_SIZE) == 0;
}

static inline bool run_tool(const char *const *argv)
{
    int status = -1;

    return g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                        NULL, NULL, NULL, NULL, &status, NULL) && status == 0;
}

static inline bool copy_file(const char *from, const char *to)
{
    const char *argv[] = { "cp", "--", from, to, NULL };
    return run_tool(argv);
}

static inline char *vm_xml(const vm *v, bool agent)
{
    g_autofree char *a = NULL, *b = NULL, *devices = NULL;
    g_autofree char *pa = g_build_filename(v->dir, "vda.qcow2", NULL);
    g_autofree char *pb = g_build_filename(v->dir, "sda.qcow2", NULL);

    a = disk_xml(pa, "qcow2", "vda", "virtio");
    b = disk_xml(pb, "qcow2", "sda", "scsi");
    devices = g_strconcat(a, b, agent ? "    <channel type='unix'><target type='virtio' "
                                        "name='org.qemu.guest_agent.0'/></channel>\n" : "", NULL);
    return domain_xml(v->name, devices);
}

/* Images, references and the defined domain (shut off). */
static inline vm *vm_new(virConnectPtr conn, const char *base, const char *name, bool agent)
{
    vm *v = g_new0(vm, 1);
    g_autofree char *raw = NULL, *vda = NULL, *sda = NULL, *xml = NULL;
    const char *convert[] = { "qemu-img", "convert", "-f", "raw", "-O", "qcow2", NULL, NULL, NULL };

    v->name = g_strdup(name);
    v->dir = g_build_filename(base, name, NULL);
    g_mkdir_with_parents(v->dir, 0700);
    raw = g_build_filename(v->dir, "boot.raw", NULL);
    vda = g_build_filename(v->dir, "vda.qcow2", NULL);
    sda = g_build_filename(v->dir, "sda.qcow2", NULL);
    v->ref[0] = g_build_filename(v->dir, "vda.ref", NULL);
    v->ref[1] = g_build_filename(v->dir, "sda.ref", NULL);
    convert[6] = raw;
    convert[7] = vda;
    if (!write_counter_disk(raw) || !copy_file(raw, v->ref[0]) || !run_tool(convert) ||
        qemu_img_create_qcow2(sda, DISK_SIZE, NULL, NULL) < 0 || qemu_img_create_raw(v->ref[1], DISK_SIZE) < 0) {
        printf("FAIL %s: images\n", name);
        exit(1);
    }
    xml = vm_xml(v, agent);
    if (!(v->dom = virDomainDefineXML(conn, xml))) {
        printf("FAIL %s: define: %s\n", name, api_error());
        exit(1);
    }
    return v;
}

static inline void vm_free(vm *v)
{
    if (!v)
        return;
    if (v->dom)
        virDomainFree(v->dom);
    g_free(v->name);
    g_free(v->dir);
    g_free(v->ref[0]);
    g_free(v->ref[1]);
    g_free(v);
}

/* The top image of disk dst, from the domain's XML. */
static inline char *vm_disk_path(const vm *v, const char *dst)
{
    g_autofree char *xml = virDomainGetXMLDesc(v->dom, 0);
    g_auto(GStrv) disks = xml ? g_strsplit(xml, "<disk ", -1) : NULL;
    g_autofree char *target = g_strdup_printf("<target dev='%s'", dst);

    for (guint i = 1; disks && disks[i]; i++) {
        const char *src = strstr(disks[i], "<source file='");
        if (!strstr(disks[i], target) || !src)
            continue;
        src += strlen("<source file='");
        return g_strndup(src, strcspn(src, "'"));
    }
    return NULL;
}

static inline bool vm_active(const vm *v)
{
    return virDomainIsActive(v->dom) == 1;
}

/* A write into disk i (qemu-io syntax), through the guest's device when the domain
 * runs, into the top image otherwise; the same into the reference. */
static inline bool vm_write(const vm *v, int i, const char *cmd)
{
    bool ok;

    if (vm_active(v)) {
        ok = qemu_domain_qemu_io(v->dom, vm_dsts[i], cmd) == 0;
    } else {
        g_autofree char *top = vm_disk_path(v, vm_dsts[i]);
        ok = top && reference_write(top, "qcow2", cmd);
    }
    if (!ok)
        printf("  write '%s' into %s of %s: %s\n", cmd, vm_dsts[i], v->name, api_error());
    return ok && reference_write(v->ref[i], "raw", cmd);
}

/* A distinct pattern into both disks: byte seed at offsets depending on seed. */
static inline bool vm_pattern(const vm *v, int seed)
{
    g_autofree char *a = g_strdup_printf("write -P 0x%02x %d 65536", seed & 0xff, 65536 * (1 + seed % 40));
    g_autofree char *b = g_strdup_printf("write -P 0x%02x %d 4096", (seed * 7) & 0xff, 4096 * (seed % 200));
    g_autofree char *c = g_strdup_printf("write -P 0x%02x %d 131072", (seed * 3) & 0xff, 65536 * (seed % 50));

    return vm_write(v, 0, a) && vm_write(v, 0, b) && vm_write(v, 1, c);
}

static inline char *vm_ref_at(const vm *v, int i, const char *tag)
{
    return g_strdup_printf("%s.%s", v->ref[i], tag);
}

/* Keep the references as they are now, under tag (a snapshot's name). */
static inline bool vm_save_refs(const vm *v, const char *tag)
{
    for (int i = 0; i < NDISKS; i++) {
        g_autofree char *to = vm_ref_at(v, i, tag);
        if (!copy_file(v->ref[i], to))
            return false;
    }
    return true;
}

/* The references become those saved under tag (after a revert). */
static inline bool vm_restore_refs(const vm *v, const char *tag)
{
    for (int i = 0; i < NDISKS; i++) {
        g_autofree char *from = vm_ref_at(v, i, tag);
        if (!copy_file(from, v->ref[i]))
            return false;
    }
    return true;
}

/* Every disk holds exactly what the references held at tag. */
static inline bool vm_disks_equal(const vm *v, const char *tag)
{
    for (int i = 0; i < NDISKS; i++) {
        g_autofree char *top = vm_disk_path(v, vm_dsts[i]);
        g_autofree char *ref = vm_ref_at(v, i, tag);
        bool identical = false;
        long long at = -1;
        if (!top || qemu_img_compare(top, "qcow2", ref, "raw", QEMU_IMG_FORCE_SHARE, &identical, &at) < 0 ||
            !identical) {
            printf("  %s of %s (%s) differs from its reference at '%s' (offset %lld): %s\n", vm_dsts[i],
                   v->name, top ? top : "?", tag, at, identical ? "" : api_error());
            return false;
        }
    }
    return true;
}

static inline virDomainSnapshotPtr vm_snapshot(const vm *v, const char *name, const char *extra,
                                               unsigned int flags)
{
    g_autofree char *xml = g_strdup_printf("<domainsnapshot><name>%s</name>%s</domainsnapshot>", name,
                                           extra ? extra : "");
    virDomainSnapshotPtr s = virDomainSnapshotCreateXML(v->dom, xml, flags);

    if (!s)
        printf("  snapshot '%s' of %s: %s\n", name, v->name, api_error());
    return s;
}

/* The same, the handle dropped: whether it was taken. */
static inline bool vm_take(const vm *v, const char *name, const char *extra, unsigned int flags)
{
    virDomainSnapshotPtr s = vm_snapshot(v, name, extra, flags);

    if (s)
        virDomainSnapshotFree(s);
    return s != NULL;
}

static inline bool vm_revert(const vm *v, const char *name, unsigned int flags)
{
    virDomainSnapshotPtr s = virDomainSnapshotLookupByName(v->dom, name, 0);
    bool ok = s && virDomainRevertToSnapshot(s, flags) == 0;

    if (!ok)
        printf("  revert %s to '%s': %s\n", v->name, name, api_error());
    if (s)
        virDomainSnapshotFree(s);
    return ok;
}

static inline bool vm_delete(const vm *v, const char *name, unsigned int flags)
{
    virDomainSnapshotPtr s = virDomainSnapshotLookupByName(v->dom, name, 0);
    bool ok = s && virDomainSnapshotDelete(s, flags) == 0;

    if (!ok)
        printf("  delete '%s' of %s: %s\n", name, v->name, api_error());
    if (s)
        virDomainSnapshotFree(s);
    return ok;
}

/* The guest's RAM from 0 to 1 MiB (pmemsave), into a new file. */
static inline char *vm_ram(const vm *v, const char *tag)
{
    g_autofree char *cmd = NULL, *out = NULL;
    char *path = g_strdup_printf("%s/ram.%s", v->dir, tag);

    cmd = g_strdup_printf("pmemsave 0 1048576 \"%s\"", path);
    if (qemu_domain_hmp(v->dom, cmd, &out) < 0 || (out && *out)) {
        printf("  pmemsave: %s %s\n", api_error(), out ? out : "");
        g_free(path);
        return NULL;
    }
    return path;
}

static inline bool same_file(const char *a, const char *b)
{
    g_autofree char *x = NULL, *y = NULL;
    gsize lx = 0, ly = 0;

    return a && b && g_file_get_contents(a, &x, &lx, NULL) && g_file_get_contents(b, &y, &ly, NULL) &&
           lx == ly && memcmp(x, y, lx) == 0;
}

/* The guest's counter at 0x7e00. */
static inline long long vm_counter(const vm *v)
{
    g_autofree char *out = NULL;
    const char *colon;

    if (qemu_domain_hmp(v->dom, "xp /1wx 0x7e00", &out) < 0 || !out || !(colon = strchr(out, ':')))
        return -1;
    return strtoll(colon + 1, NULL, 16);
}

static inline int vm_state(const vm *v, int *reason)
{
    int state = -1;

    virDomainGetState(v->dom, &state, reason, 0);
    return state;
}

static inline int cmp_names(gconstpointer a, gconstpointer b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The files in v->dir whose name starts with prefix, sorted, space separated. */
static inline char *vm_files(const vm *v, const char *prefix)
{
    GDir *d = g_dir_open(v->dir, 0, NULL);
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
    const char *name;

    while (d && (name = g_dir_read_name(d)))
        if (g_str_has_prefix(name, prefix))
            g_ptr_array_add(names, g_strdup(name));
    if (d)
        g_dir_close(d);
    g_ptr_array_sort(names, cmp_names);
    g_ptr_array_add(names, NULL);
    return g_strjoinv(" ", (char **)names->pdata);
}
