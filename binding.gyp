{
  "targets": [
    {
      "target_name": "vigie_netlink",
      "sources": ["sensors/native/vigie_netlink.c", "sensors/native/vigie_sockdiag.c"],
      "cflags": ["-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter", "-O2"],
      "conditions": [
        ["OS!='linux'", { "type": "none", "sources!": ["sensors/native/vigie_netlink.c", "sensors/native/vigie_sockdiag.c"] }]
      ]
    }
  ]
}
