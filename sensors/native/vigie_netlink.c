/*
 * vigie_netlink: the kernel's process-events connector (NETLINK_CONNECTOR, CN_IDX_PROC) for Node.
 *
 * Non-blocking netlink sockets, watched by uv_poll_t handles on Node's own event loop: no thread.
 * When a socket is readable, every pending datagram is drained (up to MAX_RECORDS, so a storm
 * cannot starve the loop; the poll is level-triggered and fires again) and the JS callback is
 * called ONCE with a packed Buffer of fixed-size records. Thread events are dropped here (fork of
 * a thread, exit of a non-leader thread), as are event kinds Vigie does not use.
 *
 * Split mode (open(..., split = true)). Only an exec is urgent: the collector reads
 * /proc/<pid>/{cmdline,exe,...} then, before a short-lived process is gone. Forks and exits are
 * only remembered, yet they are two of the three events of every launch (and every thread's fork
 * and exit is one more), and each wakes the process: on a VM a wakeup costs tens of µs. So socket A
 * asks the kernel for execs only and is polled as before; socket B asks for forks and exits, and
 * after each wakeup it is not polled again for B_THROTTLE_MS. Every wakeup drains both sockets into
 * one batch sorted by kernel timestamp, so the collector still sees a process's fork, exec and exit
 * in that order. Measured at 100 launches/s: half the wakeups, and fewer execs read too late.
 *
 * Filters (struct proc_input) exist since Linux 6.6, and the kernel also filters its
 * acknowledgements, so: A subscribes without a filter (its acknowledgement is the handshake), B
 * is opened with its filter, then A is filtered to execs. Each event is taken from exactly one
 * socket, by its timestamp against split_ns, read after B was bound: execs from A; forks and exits
 * from A before split_ns (B may not have been listening), from B after (A may not be filtered
 * yet). A kernel without filters ignores the longer subscription (A and B then both get
 * everything) and the same rule still takes each event once.
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
 * The same addon also exports diagDump() (vigie_sockdiag.c: socket dumps for the network collector).
 *
 * JS API:
 *   open(rcvbufBytes: number, seq: number, onBatch: (records: Buffer, overruns: number) => void,
 *        onError: (message: string, errno: number) => void, split?: boolean)
 *     -> { close(): void, portId: number }
 *   Throws an Error whose .code is the errno name (EPERM, EPROTONOSUPPORT...) if a socket
 *   cannot be opened, bound or subscribed.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/connector.h>
#include <linux/cn_proc.h>
#include <node_api.h>
#include <uv.h>

#include "vigie_sockdiag.h"

#define RECORD_SIZE 32
#define MAX_RECORDS 4096
#define RECV_BUF 8192
#define B_THROTTLE_MS 100
/* proc_cn_event bits of struct proc_input (Linux 6.6; not in older uapi headers). */
#define EV_FORK 0x1u
#define EV_EXEC 0x2u
#define EV_EXIT 0x80000000u

typedef struct {
  napi_env env;
  int fd;            /* A: every event, or execs only in split mode */
  uv_poll_t poll;
  int fd2;           /* B (split mode): forks and exits, polled at most every B_THROTTLE_MS */
  uv_poll_t poll2;
  uv_timer_t timer;  /* re-arms poll2 */
  int split;
  int handles_open;  /* libuv handles not closed yet: the state is freed after the last */
  uint64_t split_ns; /* CLOCK_MONOTONIC after B was bound: which socket an event is taken from */
  napi_ref on_batch;
  napi_ref on_error;
  napi_async_context async_ctx;
  uint32_t overruns;
  int closed;        /* close requested: no more callbacks */
  int uv_done;       /* the last uv_close callback ran, fds closed */
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
  if (--s->handles_open > 0) return;
  close(s->fd);
  if (s->fd2 >= 0) close(s->fd2);
  s->fd = -1;
  s->uv_done = 1;
  if (!s->wrapper_alive) free(s);
}

static void env_cleanup(void *arg);

/* Stops the polls and releases JS references; the fds are closed once libuv is done with them. */
static void do_close(nl_state *s) {
  if (s->closed) return;
  s->closed = 1;
  napi_remove_env_cleanup_hook(s->env, env_cleanup, s);
  uv_poll_stop(&s->poll);
  uv_close((uv_handle_t *)&s->poll, on_uv_closed);
  if (s->split) {
    uv_poll_stop(&s->poll2);
    uv_timer_stop(&s->timer);
    uv_close((uv_handle_t *)&s->poll2, on_uv_closed);
    uv_close((uv_handle_t *)&s->timer, on_uv_closed);
  }
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

/* Drains fd into s->records from *count on; returns 0, or an errno that is fatal. */
static int drain(nl_state *s, int fd, int is_b, size_t *count) {
  uint8_t buf[RECV_BUF] __attribute__((aligned(NLMSG_ALIGNTO)));
  while (*count < MAX_RECORDS) {
    struct sockaddr_nl from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fromlen);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) { s->overruns++; continue; }
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      return errno;
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
      if (*count >= MAX_RECORDS) { s->overruns++; continue; }
      if (s->split) {
        /* Each event from exactly one socket (see the top of this file). */
        int late = ev.timestamp_ns >= s->split_ns;
        int urgent = ev.what == PROC_EVENT_EXEC;
        if (is_b && (ev.what == PROC_EVENT_NONE || urgent || !late)) continue;
        if (!is_b && !urgent && ev.what != PROC_EVENT_NONE && late) continue;
      }
      if (pack_event(&ev, cn, s->records + *count * RECORD_SIZE)) (*count)++;
    }
  }
  return 0;
}

static int by_time(const void *a, const void *b) {
  uint64_t ta, tb;
  memcpy(&ta, (const uint8_t *)a + 24, 8);
  memcpy(&tb, (const uint8_t *)b + 24, 8);
  return ta < tb ? -1 : ta > tb ? 1 : 0;
}

/* One JS call with the batch, in kernel time order (split mode merges two sockets). */
static void deliver(nl_state *s, size_t count, uint32_t overruns_before) {
  if (count == 0 && s->overruns == overruns_before) return;
  if (s->split && count > 1) qsort(s->records, count, RECORD_SIZE, by_time);
  napi_handle_scope scope;
  napi_value argv[2];
  napi_open_handle_scope(s->env, &scope);
  napi_create_buffer_copy(s->env, count * RECORD_SIZE, s->records, NULL, &argv[0]);
  napi_create_uint32(s->env, s->overruns, &argv[1]);
  call_js(s, s->on_batch, 2, argv);
  napi_close_handle_scope(s->env, scope);
}

static void stop_polls(nl_state *s) {
  uv_poll_stop(&s->poll);
  if (s->split) {
    uv_poll_stop(&s->poll2);
    uv_timer_stop(&s->timer);
  }
}

static void on_readable(uv_poll_t *handle, int status, int events);
static void on_timer(uv_timer_t *t) {
  nl_state *s = (nl_state *)t->data;
  if (!s->closed) uv_poll_start(&s->poll2, UV_READABLE, on_readable);
}

static void on_readable(uv_poll_t *handle, int status, int events) {
  nl_state *s = (nl_state *)handle->data;
  size_t count = 0;
  uint32_t overruns_before = s->overruns;
  int err = 0;
  (void)events;
  if (s->closed) return;
  int is_b = s->split && handle == &s->poll2;
  if (status < 0) {
    /* libuv reports any POLLERR as UV_EBADF and stops the handle. On this socket POLLERR is
       normally the kernel's ENOBUFS (sk_err set when the receive queue overflowed): read and
       clear it, count the overrun, re-arm, and drain what is queued. Anything else is fatal. */
    int soerr = 0;
    socklen_t len = sizeof soerr;
    int fd = is_b ? s->fd2 : s->fd;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 || (soerr != 0 && soerr != ENOBUFS)) {
      int e = soerr != 0 ? soerr : errno;
      stop_polls(s); /* fatal: stop, do not spin; JS decides (fallback, close) */
      report_error(s, "poll on the netlink socket failed", e != 0 ? e : -status);
      return;
    }
    if (soerr == ENOBUFS) s->overruns++;
    uv_poll_start(handle, UV_READABLE, on_readable);
  }
  /* Whichever socket woke us, both are drained into one batch sorted by time: a batch of forks
     and exits alone could hold the exit of a process whose exec still waits on the other socket.
     Only a batch cut at MAX_RECORDS (a long-blocked loop) can leave an earlier event behind. */
  if (s->split) err = drain(s, s->fd2, 1, &count);
  if (!err) err = drain(s, s->fd, 0, &count);
  if (err) {
    stop_polls(s);
    report_error(s, "recv on the netlink socket failed", err);
    return;
  }
  if (is_b) {
    /* Not urgent: look again in B_THROTTLE_MS, or when an exec wakes us. */
    uv_poll_stop(&s->poll2);
    uv_timer_start(&s->timer, on_timer, B_THROTTLE_MS, 0);
  }
  deliver(s, count, overruns_before);
}

/* PROC_CN_MCAST_LISTEN; with event_type != 0, as a struct proc_input (Linux 6.6: a filter). */
static int subscribe(int fd, uint32_t port, uint32_t seq, uint32_t event_type) {
  struct {
    struct nlmsghdr nh;
    struct cn_msg cn;
    uint32_t op;
    uint32_t event_type;
  } __attribute__((packed)) msg;
  memset(&msg, 0, sizeof msg);
  msg.nh.nlmsg_type = NLMSG_DONE;
  msg.nh.nlmsg_pid = port;
  msg.cn.id.idx = CN_IDX_PROC;
  msg.cn.id.val = CN_VAL_PROC;
  msg.cn.seq = seq;
  msg.cn.ack = seq; /* the kernel's ack echoes it (ack + 1): lets us tell our ack apart */
  msg.cn.len = event_type ? 8 : 4;
  msg.op = PROC_CN_MCAST_LISTEN;
  msg.event_type = event_type;
  msg.nh.nlmsg_len = sizeof(struct nlmsghdr) + sizeof(struct cn_msg) + msg.cn.len;
  return send(fd, &msg, msg.nh.nlmsg_len, 0) < 0 ? -1 : 0;
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

/* A bound, subscribed socket; -1 with *what and errno set on failure. */
static int open_socket(uint32_t rcvbuf, uint32_t seq, uint32_t event_type, uint32_t *port, const char **what) {
  int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_CONNECTOR);
  if (fd < 0) { *what = "socket(NETLINK_CONNECTOR)"; return -1; }
  if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_nl sa;
  memset(&sa, 0, sizeof sa);
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = CN_IDX_PROC;
  socklen_t salen = sizeof sa;
  int err;
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { *what = "bind(CN_IDX_PROC)"; goto fail; }
  if (getsockname(fd, (struct sockaddr *)&sa, &salen) < 0) { *what = "getsockname"; goto fail; }
  if (subscribe(fd, sa.nl_pid, seq, event_type) < 0) { *what = "send(PROC_CN_MCAST_LISTEN)"; goto fail; }
  *port = sa.nl_pid;
  return fd;
fail:
  err = errno;
  close(fd);
  errno = err;
  return -1;
}

static napi_value js_open(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5], obj, fn, port_v, name;
  uint32_t rcvbuf = 0, seq = 0, port = 0, port2 = 0;
  bool split = false;
  napi_valuetype t2, t3;
  const char *what = "";
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (argc < 4 || napi_get_value_uint32(env, argv[0], &rcvbuf) != napi_ok ||
      napi_get_value_uint32(env, argv[1], &seq) != napi_ok ||
      napi_typeof(env, argv[2], &t2) != napi_ok || t2 != napi_function ||
      napi_typeof(env, argv[3], &t3) != napi_ok || t3 != napi_function) {
    napi_throw_type_error(env, NULL, "open(rcvbufBytes, seq, onBatch, onError[, split])");
    return NULL;
  }
  if (argc >= 5) napi_get_value_bool(env, argv[4], &split);
  int fd = open_socket(rcvbuf, seq, 0, &port, &what);
  if (fd < 0) { throw_errno(env, what, errno); return NULL; }
  int fd2 = -1;
  uint64_t split_ns = 0;
  if (split) {
    fd2 = open_socket(rcvbuf, seq + 2, EV_FORK | EV_EXIT, &port2, &what);
    if (fd2 < 0) { int err = errno; close(fd); throw_errno(env, what, err); return NULL; }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    split_ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    if (subscribe(fd, port, seq + 4, EV_EXEC) < 0) {
      int err = errno; close(fd); close(fd2); throw_errno(env, "send(PROC_CN_MCAST_LISTEN exec)", err); return NULL;
    }
  }
  uv_loop_t *loop;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) {
    close(fd); if (fd2 >= 0) close(fd2); napi_throw_error(env, "EIO", "no uv loop"); return NULL;
  }
  nl_state *s = calloc(1, sizeof(nl_state));
  if (s == NULL) { close(fd); if (fd2 >= 0) close(fd2); napi_throw_error(env, "ENOMEM", "out of memory"); return NULL; }
  s->env = env;
  s->fd = fd;
  s->fd2 = fd2;
  s->split = split;
  s->split_ns = split_ns;
  s->wrapper_alive = 1;
  if (uv_poll_init(loop, &s->poll, fd) != 0 || (split && (uv_poll_init(loop, &s->poll2, fd2) != 0 || uv_timer_init(loop, &s->timer) != 0))) {
    close(fd); if (fd2 >= 0) close(fd2); free(s); napi_throw_error(env, "EIO", "uv_poll_init failed"); return NULL;
  }
  s->handles_open = split ? 3 : 1;
  s->poll.data = s;
  s->poll2.data = s;
  s->timer.data = s;
  napi_create_reference(env, argv[2], 1, &s->on_batch);
  napi_create_reference(env, argv[3], 1, &s->on_error);
  napi_create_string_utf8(env, "vigie:netlink", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &s->async_ctx);
  napi_add_env_cleanup_hook(env, env_cleanup, s);
  uv_poll_start(&s->poll, UV_READABLE, on_readable);
  if (split) uv_poll_start(&s->poll2, UV_READABLE, on_readable);

  napi_create_object(env, &obj);
  napi_create_function(env, "close", NAPI_AUTO_LENGTH, js_close, s, &fn);
  napi_set_named_property(env, obj, "close", fn);
  napi_create_uint32(env, port, &port_v);
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
  vigie_sockdiag_register(env, exports); /* diagDump(): vigie_sockdiag.c */
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
