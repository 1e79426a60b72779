/* The parser options the conf tests use: libvirt's test driver defaults. */
#pragma once

#include "conf/domain_conf.h"

#define TEST_NS_HREF "http://libvirt.org/schemas/domain/test/1.0"

static const domain_xml_options conf_test_options = {
    .default_arch = "i686",
    .ifname_prefix = "testnet",
    .private_ns = TEST_NS_HREF,
};
