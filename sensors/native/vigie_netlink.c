/*
 * vigie_netlink: the kernel's process-events connector (NETLINK_CONNECTOR, CN_IDX_PROC) for Node.
 *
 * One non-blocking netlink socket, watched by a uv_poll_t on Node's own event loop: no thread.
 * When the socket is readable, every pending datagram is drained (up to MAX_RECORDS, so a storm
 * cannot starve the loop; the poll is level-triggered and fires again) and the JS callback is
 * called ONCE with a packed Buffer of fixed-size records. Thread events are dropped here (fork of
 * a thread, exit of a non-leader thread), as are event kinds Vigie does not use.
 *
 * Record layout: RECORD_SIZE bytes, little-endian, decoded by netlink-records.ts:
 *   0 u32 what   (PROC_EVENT_NONE | FORK | EXEC | EXIT, the kernel's values)
 *   4 u32 a      NONE: ack err   FORK: child tgid   EXEC: tgid   EXIT: tgid
 *   8 u32 b      NONE: cn seq    FORK: parent tgid  EXEC: pid    EXIT: parent tgid
 *  12 u32 c      NONE: cn ack (our seq + 1)                     EXIT: exit_code (wait status)
 *  16 u32 d                                                      EXIT: exit_signal
 *  20 u32 cpu
 *  24 u64 timestamp_ns (CLOCK_MONOTONIC of the kernel, ns)
 *
 * ENOBUFS (from recv(), or as POLLERR, which libuv reports as UV_EBADF) means the kernel dropped
 * events because the receive buffer was full: it is counted and the running total is passed with
 * every batch, never hidden.
 *
 * JS API:
 *   open(rcvbufBytes: number, seq: number, onBatch: (records: Buffer, overruns: number) => void,
 *        onError: (message: string, errno: number) => void)
 *     -> { close(): void, portId: number }
 *   Throws an Error whose .code is the errno name (EPERM, EPROTONOSUPPORT...) if the socket
 *   cannot be opened, bound or subscribed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/connector.h>
#include <linux/cn_proc.h>
#include <node_api.h>
#include <uv.h>

#define RECORD_SIZE 32
#define MAX_RECORDS 4096
#define RECV_BUF 8192

typedef struct {
  napi_env env;
  int fd;
  uv_poll_t poll;
  napi_ref on_batch;
  napi_ref on_error;
  napi_async_context async_ctx;
  uint32_t overruns;
  int closed;        /* close requested: no more callbacks */
  int uv_done;       /* uv_close callback ran, fd closed */
  int wrapper_alive; /* the JS object still exists */
  uint8_t records[MAX_RECORDS * RECORD_SIZE];
} nl_state;

static void put_u32(uint8_t *p, uint32_t v) {
  p[0] = v & 0xff; p[1] = (v >> 8) & 0xff; p[2] = (v >> 16) & 0xff; p[3] = (v >> 24) & 0xff;
}

static void put_u64(uint8_t *p, uint64_t v) {
  put_u32(p, (uint32_t)(v & 0xffffffffu));
  put_u32(p + 4, (uint32_t)(v >> 32));
}

static void throw_errno(napi_env env, const char *what, int err) {
  char msg[256];
  const char *name = err == EPERM ? "EPERM" : err == EACCES ? "EACCES"
    : err == EPROTONOSUPPORT ? "EPROTONOSUPPORT" : err == EAFNOSUPPORT ? "EAFNOSUPPORT"
    : err == ENOENT ? "ENOENT" : "EIO";
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_throw_error(env, name, msg);
}

static void on_uv_closed(uv_handle_t *h) {
  nl_state *s = (nl_state *)h->data;
  close(s->fd);
  s->fd = -1;
  s->uv_done = 1;
  if (!s->wrapper_alive) free(s);
}

static void env_cleanup(void *arg);

/* Stops the poll and releases JS references; the fd is closed once libuv is done with it. */
static void do_close(nl_state *s) {
  if (s->closed) return;
  s->closed = 1;
  napi_remove_env_cleanup_hook(s->env, env_cleanup, s);
  uv_poll_stop(&s->poll);
  uv_close((uv_handle_t *)&s->poll, on_uv_closed);
  napi_delete_reference(s->env, s->on_batch);
  napi_delete_reference(s->env, s->on_error);
  napi_async_destroy(s->env, s->async_ctx);
}

static void env_cleanup(void *arg) { do_close((nl_state *)arg); }

static void call_js(nl_state *s, napi_ref fn_ref, size_t argc, napi_value *argv) {
  napi_env env = s->env;
  napi_value fn, recv, result;
  if (napi_get_reference_value(env, fn_ref, &fn) != napi_ok || fn == NULL) return;
  napi_get_global(env, &recv); /* make_callback needs an object receiver */
  /* make_callback (not call_function): runs the microtask queue afterwards, so promises
     resolved by the callback settle, as for any libuv-driven JS callback. */
  if (napi_make_callback(env, s->async_ctx, recv, fn, argc, argv, &result) == napi_pending_exception) {
    napi_value exc;
    napi_get_and_clear_last_exception(env, &exc);
    napi_fatal_exception(env, exc);
  }
}

static void report_error(nl_state *s, const char *what, int err) {
  napi_handle_scope scope;
  napi_value argv[2];
  char msg[256];
  snprintf(msg, sizeof msg, "%s: %s", what, strerror(err));
  napi_open_handle_scope(s->env, &scope);
  napi_create_string_utf8(s->env, msg, NAPI_AUTO_LENGTH, &argv[0]);
  napi_create_int32(s->env, err, &argv[1]);
  call_js(s, s->on_error, 2, argv);
  napi_close_handle_scope(s->env, scope);
}

/* Appends the record for one proc_event; returns 1 if a record was written. */
static int pack_event(const struct proc_event *ev, const struct cn_msg *cn, uint8_t *r) {
  memset(r, 0, RECORD_SIZE);
  switch (ev->what) {
    case PROC_EVENT_NONE:
      put_u32(r + 4, ev->event_data.ack.err);
      put_u32(r + 8, cn->seq);
      put_u32(r + 12, cn->ack);
      break;
    case PROC_EVENT_FORK:
      if (ev->event_data.fork.child_pid != ev->event_data.fork.child_tgid) return 0; /* a thread */
      put_u32(r + 4, (uint32_t)ev->event_data.fork.child_tgid);
      put_u32(r + 8, (uint32_t)ev->event_data.fork.parent_tgid);
      break;
    case PROC_EVENT_EXEC:
      put_u32(r + 4, (uint32_t)ev->event_data.exec.process_tgid);
      put_u32(r + 8, (uint32_t)ev->event_data.exec.process_pid);
      break;
    case PROC_EVENT_EXIT:
      if (ev->event_data.exit.process_pid != ev->event_data.exit.process_tgid) return 0; /* a thread */
      put_u32(r + 4, (uint32_t)ev->event_data.exit.process_tgid);
      put_u32(r + 8, (uint32_t)ev->event_data.exit.parent_tgid);
      put_u32(r + 12, ev->event_data.exit.exit_code);
      put_u32(r + 16, ev->event_data.exit.exit_signal);
      break;
    default:
      return 0;
  }
  put_u32(r, (uint32_t)ev->what);
  put_u32(r + 20, ev->cpu);
  put_u64(r + 24, ev->timestamp_ns);
  return 1;
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  nl_state *s = (nl_state *)handle->data;
  uint8_t buf[RECV_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
  size_t count = 0;
  uint32_t overruns_before = s->overruns;
  (void)events;
  if (s->closed) return;
  if (status < 0) {
    /* libuv reports any POLLERR as UV_EBADF and stops the handle. On this socket POLLERR is
       normally the kernel's ENOBUFS (sk_err set when the receive queue overflowed): read and
       clear it, count the overrun, re-arm, and drain what is queued. Anything else is fatal. */
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || (soerr != 0 && soerr != ENOBUFS)) {
      int err = soerr != 0 ? soerr : errno;
      uv_poll_stop(&s->poll); /* fatal: stop, do not spin; JS decides (fallback, close) */
      report_error(s, "poll on the netlink socket failed", err != 0 ? err : -status);
      return;
    }
    if (soerr == ENOBUFS) s->overruns++;
    uv_poll_start(&s->poll, UV_READABLE, on_readable);
  }
  while (count < MAX_RECORDS) {
    struct sockaddr_nl from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(s->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) { s->overruns++; continue; }
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      int err = errno;
      uv_poll_stop(&s->poll);
      report_error(s, "recv on the netlink socket failed", err);
      return;
    }
    if (from.nl_pid != 0) continue; /* only the kernel speaks on this group */
    int len = (int)n;
    for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len); nh = NLMSG_NEXT(nh, len)) {
      if (nh->nlmsg_type == NLMSG_NOOP || nh->nlmsg_type == NLMSG_ERROR) continue;
      if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct cn_msg))) continue;
      struct cn_msg *cn = (struct cn_msg *)NLMSG_DATA(nh);
      if (cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC) continue;
      if (NLMSG_LENGTH(sizeof(struct cn_msg) + cn->len) > nh->nlmsg_len) continue;
      if (cn->len < offsetof(struct proc_event, event_data) + 8) continue;
      /* Older kernels send a shorter union (no exit parent): copy into a zeroed event. */
      struct proc_event ev;
      memset(&ev, 0, sizeof ev);
      memcpy(&ev, cn->data, cn->len < sizeof ev ? cn->len : sizeof ev);
      /* The connector sends one message per datagram, so the batch cannot overflow mid-datagram;
         if one ever did, the records that do not fit are counted as lost, not dropped silently. */
      if (count >= MAX_RECORDS) { s->overruns++; continue; }
      if (pack_event(&ev, cn, s->records + count * RECORD_SIZE)) count++;
    }
  }
  if (count == 0 && s->overruns == overruns_before) return;
  napi_handle_scope scope;
  napi_value argv[2];
  napi_open_handle_scope(s->env, &scope);
  napi_create_buffer_copy(s->env, count * RECORD_SIZE, s->records, NULL, &argv[0]);
  napi_create_uint32(s->env, s->overruns, &argv[1]);
  call_js(s, s->on_batch, 2, argv);
  napi_close_handle_scope(s->env, scope);
}

static int subscribe(int fd, uint32_t port, uint32_t seq) {
  struct {
    struct nlmsghdr nh;
    struct cn_msg cn;
    enum proc_cn_mcast_op op;
  } __attribute__((packed)) msg;
  memset(&msg, 0, sizeof msg);
  msg.nh.nlmsg_len = sizeof msg;
  msg.nh.nlmsg_type = NLMSG_DONE;
  msg.nh.nlmsg_pid = port;
  msg.cn.id.idx = CN_IDX_PROC;
  msg.cn.id.val = CN_VAL_PROC;
  msg.cn.seq = seq;
  msg.cn.ack = seq; /* the kernel's ack echoes it (ack + 1): lets us tell our ack apart */
  msg.cn.len = sizeof(enum proc_cn_mcast_op);
  msg.op = PROC_CN_MCAST_LISTEN;
  return send(fd, &msg, sizeof msg, 0) < 0 ? -1 : 0;
}

static napi_value js_close(napi_env env, napi_callback_info info) {
  void *data;
  napi_get_cb_info(env, info, NULL, NULL, NULL, &data);
  do_close((nl_state *)data);
  return NULL;
}

static void finalize(napi_env env, void *data, void *hint) {
  nl_state *s = (nl_state *)data;
  (void)env; (void)hint;
  s->wrapper_alive = 0;
  if (!s->closed) do_close(s); /* dropped without close(): stop anyway */
  if (s->uv_done) free(s);
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4], obj, fn, port_v, name;
  uint32_t rcvbuf = 0, seq = 0;
  napi_valuetype t2, t3;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4 || napi_get_value_uint32(env, argv[0], &rcvbuf) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &seq) != napi_ok ||
      napi_typeof(env, argv[2], &t2) != napi_ok || t2 != napi_function ||
      napi_typeof(env, argv[3], &t3) != napi_ok || t3 != napi_function) {
    napi_throw_type_error(env, NULL, "open(rcvbufBytes, seq, onBatch, onError)");
    return NULL;
  }

  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd < 0) { throw_errno(env, "socket(NETLINK_CONNECTOR)", errno); return NULL; }
  /* SO_RCVBUFFORCE ignores net.core.rmem_max but needs CAP_NET_ADMIN; fall back quietly. */
  if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);

  struct sockaddr_nl sa;
  memset(&sa, 0, sizeof sa);
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = CN_IDX_PROC;
  sa.nl_pid = 0; /* the kernel assigns a port id: several sockets may live in one process */
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int err = errno; close(fd); throw_errno(env, "bind(CN_IDX_PROC)", err); return NULL;
  }
  socklen_t salen = sizeof sa;
  if (getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) {
    int err = errno; close(fd); throw_errno(env, "getsockname", err); return NULL;
  }
  if (subscribe(fd, sa.nl_pid, seq) < 0) {
    int err = errno; close(fd); throw_errno(env, "send(PROC_CN_MCAST_LISTEN)", err); return NULL;
  }

  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    close(fd); napi_throw_error(env, "EIO", "no uv loop"); return NULL;
  }
  nl_state *s = calloc(1, sizeof(nl_state));
  if (s == NULL) { close(fd); napi_throw_error(env, "ENOMEM", "out of memory"); return NULL; }
  s->env = env;
  s->fd = fd;
  s->wrapper_alive = 1;
  if (uv_poll_init(loop, &s->poll, fd) != 0) {
    close(fd); free(s); napi_throw_error(env, "EIO", "uv_poll_init failed"); return NULL;
  }
  s->poll.data = s;
  napi_create_reference(env, argv[2], 1, &s->on_batch);
  napi_create_reference(env, argv[3], 1, &s->on_error);
  napi_create_string_utf8(env, "vigie:netlink", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &s->async_ctx);
  napi_add_env_cleanup_hook(env, env_cleanup, s);
  uv_poll_start(&s->poll, UV_READABLE, on_readable);

  napi_create_object(env, &obj);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, js_close, s, &fn);
  napi_set_named_property(env, obj, "close", fn);
  napi_create_uint32(env, sa.nl_pid, &port_v);
  napi_set_named_property(env, obj, "portId", port_v);
  napi_wrap(env, obj, s, finalize, NULL, NULL);
  return obj;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn, size;
  napi_create_function(env, "open", NAPI_AUTO_LENGTH, js_open, NULL, &fn);
  napi_set_named_property(env, exports, "open", fn);
  napi_create_uint32(env, RECORD_SIZE, &size);
  napi_set_named_property(env, exports, "recordSize", size);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
