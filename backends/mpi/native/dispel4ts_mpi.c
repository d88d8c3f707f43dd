/*
 * dispel4ts_mpi: a small Node-API addon over the system's MPI library, for dispel4ts's mpi
 * backend. It gives JavaScript: init (MPI_THREAD_MULTIPLE), rank and size, tagged sends of
 * byte buffers (gathered without copying), receiving that never blocks the event loop,
 * abort and finalize.
 *
 * Threading. One progress thread does every send and receive: it posts queued sends
 * (MPI_Isend, straight from the JavaScript buffers, which are kept alive by references until
 * the send completes; several small buffers are copied into one first, and a message with
 * large ones goes in pieces, see TAG_PIECES), tests them, and polls MPI_Iprobe for incoming
 * messages, which it receives into pooled memory and hands to JavaScript through a threadsafe
 * function as external Buffers (no copy). When there is nothing to do it backs off
 * (sched_yield, then timed waits growing to 1 ms, cut short by a new send), so idle ranks do
 * not spin a core: ranks often oversubscribe the cores. While a send is in flight, or
 * messages came lately, the waits stay short (a message waits on this thread at each hop).
 * The JavaScript thread only calls MPI_Init_thread, MPI_Abort and MPI_Finalize (after joining
 * the progress thread).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <mpi.h>
#include <node_api.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(env, call)                                                     \
  do {                                                                       \
    if ((call) != napi_ok) {                                                 \
      napi_throw_error((env), "ERR_DISPEL4TS_MPI", "Node-API call failed: " #call); \
      return NULL;                                                           \
    }                                                                        \
  } while (0)

typedef struct send_req {
  int dest;
  int tag;
  int count;
  void **ptrs;
  int *lens;
  napi_ref *refs;
  MPI_Request request;
  MPI_Datatype type;
  int has_type;
  char *contig;
  int contig_len;
  MPI_Request *reqs; /* a message sent in pieces: its manifest, then its large parts */
  int nreqs;
  struct send_req *next;
} send_req;

typedef struct recv_msg {
  int source;
  int tag;
  char *data;
  int len;
  struct recv_msg *next;
} recv_msg;

/*
 * A message of several buffers some of which are large goes as pieces: first a manifest, with
 * tag `tag | TAG_PIECES` (its length, where each large part goes, and the small parts' bytes),
 * then each large part as its own message with tag TAG_PART, straight from the JavaScript
 * buffer. The receiver reads each part into its place in one buffer, so it gets the same bytes
 * as one message; a large contiguous message moves in one copy (CMA: the receiver reads the
 * sender's memory), where a gathered one would be copied twice, in fragments.
 */
#define TAG_PART 8191
#define TAG_PIECES 16384
#define LARGE_PART 16384

/* DISPEL4TS_MPI_GATHER=1: send several buffers as one derived datatype instead (no copy). */
static int gather_sends = 0;
static int initialized = 0;
static int finalized = 0;
static int world_rank = 0;
static int world_size = 0;
static int thread_level = 0;

static pthread_t progress_thread;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv;
static send_req *pending_head = NULL, *pending_tail = NULL; /* JS -> thread */
static send_req *done_head = NULL;                           /* thread -> JS (release refs) */
static recv_msg *inbox_head = NULL, *inbox_tail = NULL;      /* thread -> JS */
static int notify_queued = 0;
static int stopping = 0;
static napi_threadsafe_function tsfn = NULL;

/*
 * Receive memory is pooled by power-of-two size class: a fresh allocation of a large message
 * is fresh pages, and faulting them in during the receive costs more than the copy itself;
 * JavaScript frees a message's memory only when its Buffer is collected, so malloc alone
 * would hand out fresh pages for almost every large message.
 */
#define POOL_CLASSES 40
#define POOL_MIN_SHIFT 12
#define POOL_MAX_BYTES (64L << 20)
typedef struct pooled { struct pooled *next; } pooled;
static pooled *pool[POOL_CLASSES];
static long pool_bytes = 0;
static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;

static int size_class(size_t n) {
  int c = POOL_MIN_SHIFT;
  while (((size_t)1 << c) < n) c++;
  return c;
}

static char *pool_take(int len) {
  int c = size_class(len > 0 ? (size_t)len : 1);
  if (c >= POOL_CLASSES) return malloc((size_t)len);
  pthread_mutex_lock(&pool_mu);
  pooled *p = pool[c];
  if (p != NULL) {
    pool[c] = p->next;
    pool_bytes -= 1L << c;
  }
  pthread_mutex_unlock(&pool_mu);
  return p != NULL ? (char *)p : malloc((size_t)1 << c);
}

static void pool_give(char *data, int len) {
  int c = size_class(len > 0 ? (size_t)len : 1);
  if (c < POOL_CLASSES) {
    pthread_mutex_lock(&pool_mu);
    if (pool_bytes + (1L << c) <= POOL_MAX_BYTES) {
      pooled *p = (pooled *)data;
      p->next = pool[c];
      pool[c] = p;
      pool_bytes += 1L << c;
      data = NULL;
    }
    pthread_mutex_unlock(&pool_mu);
  }
  free(data);
}

static void free_send(napi_env env, send_req *s) {
  for (int i = 0; i < s->count; i++) {
    if (env != NULL && s->refs[i] != NULL) napi_delete_reference(env, s->refs[i]);
  }
  free(s->ptrs);
  free(s->lens);
  free(s->refs);
  free(s);
}

/* Copies a send's parts into one pooled buffer and lets go of the JavaScript buffers: a batch
 * buffer is then free to fill again at once, where a fresh 32 KiB typed array cost a producing
 * rank about 0.1 ms (new pages) — 20 batches of W3 a run, on the busiest rank. */
static void copy_now(napi_env env, send_req *s, int total) {
  char *contig = pool_take(total);
  long at = 0;
  for (int i = 0; i < s->count; i++) {
    if (s->lens[i] > 0) memcpy(contig + at, s->ptrs[i], (size_t)s->lens[i]);
    at += s->lens[i];
    if (s->refs[i] != NULL) napi_delete_reference(env, s->refs[i]);
    s->refs[i] = NULL;
  }
  s->count = 1;
  s->ptrs[0] = contig;
  s->lens[0] = total;
  s->contig = contig;
  s->contig_len = total;
}

static void post_send(send_req *s) {
  int nonempty = 0, single = -1;
  for (int i = 0; i < s->count; i++) {
    if (s->lens[i] > 0) {
      nonempty++;
      single = i;
    }
  }
  if (nonempty <= 1) {
    void *ptr = single >= 0 ? s->ptrs[single] : NULL;
    int len = single >= 0 ? s->lens[single] : 0;
    MPI_Isend(ptr, len, MPI_BYTE, s->dest, s->tag, MPI_COMM_WORLD, &s->request);
    return;
  }
  int large = 0;
  for (int i = 0; i < s->count; i++)
    if (s->lens[i] >= LARGE_PART) large++;
  if (large > 0 && !gather_sends) {
    long small = 0;
    for (int i = 0; i < s->count; i++)
      if (s->lens[i] < LARGE_PART) small += s->lens[i];
    int manifest_len = (int)(8 + 8 * (long)large + small);
    uint32_t *head = (uint32_t *)pool_take(manifest_len);
    char *bytes = (char *)(head + 2 + 2 * large);
    s->contig = (char *)head;
    s->contig_len = manifest_len;
    s->nreqs = 1 + large;
    s->reqs = malloc(sizeof(MPI_Request) * (size_t)s->nreqs);
    uint32_t offset = 0;
    int k = 0;
    for (int i = 0; i < s->count; i++) {
      if (s->lens[i] >= LARGE_PART) {
        head[2 + 2 * k] = offset;
        head[3 + 2 * k] = (uint32_t)s->lens[i];
        k++;
      } else if (s->lens[i] > 0) {
        memcpy(bytes, s->ptrs[i], (size_t)s->lens[i]);
        bytes += s->lens[i];
      }
      offset += (uint32_t)s->lens[i];
    }
    head[0] = offset;
    head[1] = (uint32_t)large;
    MPI_Isend(head, manifest_len, MPI_BYTE, s->dest, s->tag | TAG_PIECES, MPI_COMM_WORLD,
              &s->reqs[0]);
    k = 1;
    for (int i = 0; i < s->count; i++) {
      if (s->lens[i] < LARGE_PART) continue;
      MPI_Isend(s->ptrs[i], s->lens[i], MPI_BYTE, s->dest, TAG_PART, MPI_COMM_WORLD, &s->reqs[k++]);
    }
    return;
  }
  if (!gather_sends) {
    /* Several small buffers: copied into one (pooled) buffer here, on this thread, and sent from
     * it. A message gathered by a derived datatype is not contiguous, and Open MPI then moves
     * it in 32 KiB fragments that the sending rank must push one by one, each time this
     * thread comes round: slow, and stalled by the receiver's blocking receive meanwhile. A
     * contiguous one goes in one piece (eager when small; the receiver reads it straight from
     * this process's memory, with CMA, when large). */
    long total = 0;
    for (int i = 0; i < s->count; i++) total += s->lens[i];
    s->contig = pool_take((int)total);
    s->contig_len = (int)total;
    long at = 0;
    for (int i = 0; i < s->count; i++) {
      if (s->lens[i] == 0) continue;
      memcpy(s->contig + at, s->ptrs[i], (size_t)s->lens[i]);
      at += s->lens[i];
    }
    MPI_Isend(s->contig, (int)total, MPI_BYTE, s->dest, s->tag, MPI_COMM_WORLD, &s->request);
    return;
  }
  /* Several buffers: one message gathered from their absolute addresses (no copy). */
  int *blocks = malloc(sizeof(int) * nonempty);
  MPI_Aint *displs = malloc(sizeof(MPI_Aint) * nonempty);
  int k = 0;
  for (int i = 0; i < s->count; i++) {
    if (s->lens[i] == 0) continue;
    blocks[k] = s->lens[i];
    MPI_Get_address(s->ptrs[i], &displs[k]);
    k++;
  }
  MPI_Type_create_hindexed(nonempty, blocks, displs, MPI_BYTE, &s->type);
  MPI_Type_commit(&s->type);
  s->has_type = 1;
  free(blocks);
  free(displs);
  MPI_Isend(MPI_BOTTOM, 1, s->type, s->dest, s->tag, MPI_COMM_WORLD, &s->request);
}

/* Receives a message sent in pieces (its manifest of `count` bytes is next from m->source). */
static void receive_pieces(recv_msg *m, int count) {
  uint32_t *head = (uint32_t *)pool_take(count);
  MPI_Recv(head, count, MPI_BYTE, m->source, m->tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  m->tag &= ~TAG_PIECES;
  uint32_t total = head[0], large = head[1];
  const char *small = (const char *)(head + 2 + 2 * large);
  m->len = (int)total;
  m->data = pool_take((int)total);
  MPI_Request *reqs = malloc(sizeof(MPI_Request) * (large > 0 ? large : 1));
  uint32_t at = 0;
  for (uint32_t k = 0; k < large; k++) {
    uint32_t offset = head[2 + 2 * k], len = head[3 + 2 * k];
    memcpy(m->data + at, small, offset - at);
    small += offset - at;
    MPI_Irecv(m->data + offset, (int)len, MPI_BYTE, m->source, TAG_PART, MPI_COMM_WORLD, &reqs[k]);
    at = offset + len;
  }
  memcpy(m->data + at, small, total - at);
  MPI_Waitall((int)large, reqs, MPI_STATUSES_IGNORE);
  free(reqs);
  pool_give((char *)head, count);
}

static void timed_wait_us(long micros) {
  struct timespec until;
  clock_gettime(CLOCK_MONOTONIC, &until);
  until.tv_nsec += micros * 1000L;
  while (until.tv_nsec >= 1000000000L) {
    until.tv_nsec -= 1000000000L;
    until.tv_sec += 1;
  }
  pthread_mutex_lock(&mu);
  if (pending_head == NULL && !stopping) pthread_cond_timedwait(&cv, &mu, &until);
  pthread_mutex_unlock(&mu);
}

static long now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000000L + t.tv_nsec / 1000L;
}

/* While messages came in the last ACTIVE_US, idle waits stay under ACTIVE_WAIT_US. */
#define ACTIVE_US 50000L
#define ACTIVE_WAIT_US 200L

static void *progress_main(void *arg) {
  (void)arg;
  long last_activity = now_us();
  send_req **active = NULL;
  int active_len = 0, active_cap = 0;
  unsigned idle = 0;
  struct timespec stop_at = {0, 0};
  for (;;) {
    pthread_mutex_lock(&mu);
    send_req *taken = pending_head;
    pending_head = pending_tail = NULL;
    int stop = stopping;
    pthread_mutex_unlock(&mu);

    int progress = 0;
    for (send_req *s = taken; s != NULL;) {
      send_req *next = s->next;
      s->next = NULL;
      post_send(s);
      if (active_len == active_cap) {
        active_cap = active_cap ? active_cap * 2 : 64;
        active = realloc(active, sizeof(send_req *) * active_cap);
      }
      active[active_len++] = s;
      progress = 1;
      s = next;
    }

    send_req *done = NULL;
    for (int i = 0; i < active_len;) {
      int flag = 0;
      if (active[i]->nreqs > 0) MPI_Testall(active[i]->nreqs, active[i]->reqs, &flag, MPI_STATUSES_IGNORE);
      else MPI_Test(&active[i]->request, &flag, MPI_STATUS_IGNORE);
      if (flag) {
        send_req *s = active[i];
        free(s->reqs);
        s->reqs = NULL;
        s->nreqs = 0;
        if (s->has_type) MPI_Type_free(&s->type);
        if (s->contig) {
          pool_give(s->contig, s->contig_len);
          s->contig = NULL;
        }
        s->next = done;
        done = s;
        active[i] = active[--active_len];
        progress = 1;
      } else {
        i++;
      }
    }

    recv_msg *first = NULL, *last = NULL;
    for (int n = 0; n < 64; n++) {
      int flag = 0;
      MPI_Status status;
      MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status);
      if (!flag) break;
      int count = 0;
      MPI_Get_count(&status, MPI_BYTE, &count);
      recv_msg *m = malloc(sizeof(recv_msg));
      m->source = status.MPI_SOURCE;
      m->tag = status.MPI_TAG;
      m->next = NULL;
      if (status.MPI_TAG & TAG_PIECES) {
        receive_pieces(m, count);
      } else {
        m->len = count;
        m->data = pool_take(count);
        MPI_Recv(m->data, count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
      }
      if (last) last->next = m;
      else first = m;
      last = m;
      progress = 1;
    }

    if (first != NULL || done != NULL) {
      pthread_mutex_lock(&mu);
      if (first != NULL) {
        if (inbox_tail) inbox_tail->next = first;
        else inbox_head = first;
        inbox_tail = last;
      }
      while (done != NULL) {
        send_req *next = done->next;
        done->next = done_head;
        done_head = done;
        done = next;
      }
      int queue = !notify_queued;
      notify_queued = 1;
      pthread_mutex_unlock(&mu);
      if (queue) napi_call_threadsafe_function(tsfn, NULL, napi_tsfn_nonblocking);
    }

    if (stop) {
      /* Finish the sends in flight, but never wait on a peer that is gone for long. */
      struct timespec now;
      clock_gettime(CLOCK_MONOTONIC, &now);
      if (stop_at.tv_sec == 0) stop_at = now;
      pthread_mutex_lock(&mu);
      int empty = pending_head == NULL;
      pthread_mutex_unlock(&mu);
      if ((empty && active_len == 0) || now.tv_sec - stop_at.tv_sec > 3) break;
    }
    if (progress) {
      idle = 0;
      last_activity = -1;
      continue;
    }
    idle++;
    if (idle <= 8) {
      sched_yield();
    } else {
      /* While a send is in flight, or messages came lately, wait at most ~100 us: a send
       * completes, and a message reaches JavaScript, only when this thread next looks; but
       * spinning would take the core from the ranks it waits on. Long idle: up to 1 ms. */
      long now = now_us();
      if (last_activity < 0) last_activity = now;
      int busy = active_len > 0 || now - last_activity < ACTIVE_US;
      unsigned shift = idle - 8 > 6 ? 6 : idle - 8;
      long wait = 16L << shift; /* 32 us .. 1 ms */
      if (busy && wait > ACTIVE_WAIT_US) wait = ACTIVE_WAIT_US;
      timed_wait_us(wait);
    }
  }
  free(active);
  return NULL;
}

/* A received message's memory, owned by its external Buffer until collected or released. */
typedef struct received {
  char *data;
  int len;
  int released;
} received;

static void free_external(napi_env env, void *data, void *hint) {
  (void)data;
  (void)env;
  received *r = hint;
  if (!r->released) pool_give(r->data, r->len);
  free(r);
}

/* On the JS thread: deliver what the progress thread received; release finished sends. */
static void call_js(napi_env env, napi_value callback, void *context, void *data) {
  (void)context;
  (void)data;
  if (env == NULL) return;
  pthread_mutex_lock(&mu);
  recv_msg *messages = inbox_head;
  inbox_head = inbox_tail = NULL;
  send_req *done = done_head;
  done_head = NULL;
  notify_queued = 0;
  pthread_mutex_unlock(&mu);

  while (done != NULL) {
    send_req *next = done->next;
    free_send(env, done);
    done = next;
  }
  napi_value recv;
  napi_get_undefined(env, &recv);
  while (messages != NULL) {
    recv_msg *m = messages;
    messages = m->next;
    napi_handle_scope scope;
    napi_open_handle_scope(env, &scope);
    napi_value args[4], result;
    napi_create_int32(env, m->source, &args[0]);
    napi_create_int32(env, m->tag, &args[1]);
    received *r = malloc(sizeof(received));
    r->data = m->data;
    r->len = m->len;
    r->released = 0;
    /* V8 counts an external Buffer's bytes itself (its backing store): also reporting them
     * with napi_adjust_external_memory counted them twice, and ranks receiving W5's traces
     * reached V8's external-memory limit for full collections twice as soon (W5 416 -> 500
     * MB/s without). */
    if (napi_create_external_buffer(env, (size_t)m->len, m->data, free_external, r, &args[2]) ==
        napi_ok) {
      /* The handle for release(): the address, exact in a double (48-bit addresses). */
      napi_create_double(env, (double)(uintptr_t)r, &args[3]);
    } else {
      void *copy;
      napi_create_buffer_copy(env, (size_t)m->len, m->data, &copy, &args[2]);
      pool_give(m->data, m->len);
      free(r);
      napi_get_undefined(env, &args[3]);
    }
    if (napi_call_function(env, recv, callback, 4, args, &result) == napi_pending_exception) {
      napi_value error;
      napi_get_and_clear_last_exception(env, &error);
      napi_fatal_exception(env, error);
    }
    napi_close_handle_scope(env, scope);
    free(m);
  }
}

/* init(onMessage(source, tag, buffer)) -> { rank, size, threadLevel } */
static napi_value js_init(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (initialized) {
    napi_throw_error(env, "ERR_DISPEL4TS_MPI", "MPI is already initialised in this process");
    return NULL;
  }
  napi_valuetype type;
  if (argc < 1 || napi_typeof(env, argv[0], &type) != napi_ok || type != napi_function) {
    napi_throw_type_error(env, NULL, "init(onMessage): onMessage must be a function");
    return NULL;
  }
  int provided = 0;
  if (MPI_Init_thread(NULL, NULL, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) {
    napi_throw_error(env, "ERR_DISPEL4TS_MPI", "MPI_Init_thread failed");
    return NULL;
  }
  if (provided < MPI_THREAD_SERIALIZED) {
    napi_throw_error(env, "ERR_DISPEL4TS_MPI",
                     "the MPI library gives less than MPI_THREAD_SERIALIZED; build it with thread support");
    return NULL;
  }
  initialized = 1;
  thread_level = provided;
  MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
  MPI_Comm_size(MPI_COMM_WORLD, &world_size);
  napi_value name;
  CHECK(env, napi_create_string_utf8(env, "dispel4ts-mpi-receive", NAPI_AUTO_LENGTH, &name));
  CHECK(env, napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL, NULL, NULL,
                                             call_js, &tsfn));
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
  pthread_cond_init(&cv, &attr);
  pthread_condattr_destroy(&attr);
  stopping = 0;
  gather_sends = getenv("DISPEL4TS_MPI_GATHER") != NULL && strcmp(getenv("DISPEL4TS_MPI_GATHER"), "1") == 0;
  pthread_create(&progress_thread, NULL, progress_main, NULL);

  napi_value result, v;
  CHECK(env, napi_create_object(env, &result));
  CHECK(env, napi_create_int32(env, world_rank, &v));
  CHECK(env, napi_set_named_property(env, result, "rank", v));
  CHECK(env, napi_create_int32(env, world_size, &v));
  CHECK(env, napi_set_named_property(env, result, "size", v));
  CHECK(env, napi_create_int32(env, provided, &v));
  CHECK(env, napi_set_named_property(env, result, "threadLevel", v));
  return result;
}

/* send(dest, tag, buffers[], copy?): one message, gathered from the buffers, which must not
 * change until it is sent (they are kept alive until then) — or, with `copy`, copied now into
 * pooled memory, so the caller may fill them again at once. */
static napi_value js_send(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (!initialized || finalized) {
    napi_throw_error(env, "ERR_DISPEL4TS_MPI", "send: MPI is not running");
    return NULL;
  }
  int dest, tag;
  if (argc < 3 || napi_get_value_int32(env, argv[0], &dest) != napi_ok ||
      napi_get_value_int32(env, argv[1], &tag) != napi_ok) {
    napi_throw_type_error(env, NULL, "send(dest, tag, buffers): dest and tag must be integers");
    return NULL;
  }
  if (dest < 0 || dest >= world_size || tag < 0 || tag >= TAG_PART) {
    napi_throw_range_error(env, NULL, "send: dest out of range, or tag not in 0 .. 8190");
    return NULL;
  }
  bool is_array = false;
  napi_is_array(env, argv[2], &is_array);
  if (!is_array) {
    napi_throw_type_error(env, NULL, "send(dest, tag, buffers): buffers must be an array");
    return NULL;
  }
  uint32_t n;
  CHECK(env, napi_get_array_length(env, argv[2], &n));
  send_req *s = calloc(1, sizeof(send_req));
  s->dest = dest;
  s->tag = tag;
  s->count = (int)n;
  s->ptrs = calloc(n ? n : 1, sizeof(void *));
  s->lens = calloc(n ? n : 1, sizeof(int));
  s->refs = calloc(n ? n : 1, sizeof(napi_ref));
  int64_t total = 0;
  for (uint32_t i = 0; i < n; i++) {
    napi_value element;
    CHECK(env, napi_get_element(env, argv[2], i, &element));
    void *data = NULL;
    size_t length = 0;
    bool is_typed = false, is_dv = false, is_ab = false;
    napi_is_typedarray(env, element, &is_typed);
    if (is_typed) {
      napi_typedarray_type t;
      size_t elements;
      napi_value ab;
      size_t offset;
      napi_get_typedarray_info(env, element, &t, &elements, &data, &ab, &offset);
      size_t width = 1;
      switch (t) {
        case napi_int16_array: case napi_uint16_array: width = 2; break;
        case napi_int32_array: case napi_uint32_array: case napi_float32_array: width = 4; break;
        case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: width = 8; break;
        default: width = 1;
      }
      length = elements * width;
    } else if (napi_is_dataview(env, element, &is_dv), is_dv) {
      napi_value ab;
      size_t offset;
      napi_get_dataview_info(env, element, &length, &data, &ab, &offset);
    } else if (napi_is_arraybuffer(env, element, &is_ab), is_ab) {
      napi_get_arraybuffer_info(env, element, &data, &length);
    } else {
      free_send(env, s);
      napi_throw_type_error(env, NULL, "send: every buffer must be a typed array, DataView or ArrayBuffer");
      return NULL;
    }
    total += (int64_t)length;
    if (total > INT_MAX) {
      free_send(env, s);
      napi_throw_range_error(env, NULL, "send: a message must be smaller than 2 GiB");
      return NULL;
    }
    s->ptrs[i] = data;
    s->lens[i] = (int)length;
    napi_create_reference(env, element, 1, &s->refs[i]);
  }
  bool copy = false;
  if (argc >= 4) napi_get_value_bool(env, argv[3], &copy);
  if (copy) copy_now(env, s, (int)total);
  pthread_mutex_lock(&mu);
  if (pending_tail) pending_tail->next = s;
  else pending_head = s;
  pending_tail = s;
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  return NULL;
}

/* finalize(): sends what is queued, stops the progress thread, MPI_Finalize. */
static napi_value js_finalize(napi_env env, napi_callback_info info) {
  (void)info;
  if (!initialized || finalized) return NULL;
  pthread_mutex_lock(&mu);
  stopping = 1;
  pthread_cond_signal(&cv);
  pthread_mutex_unlock(&mu);
  pthread_join(progress_thread, NULL);
  finalized = 1;
  /* Release what the thread finished after its last notification. */
  pthread_mutex_lock(&mu);
  send_req *done = done_head;
  done_head = NULL;
  recv_msg *messages = inbox_head;
  inbox_head = inbox_tail = NULL;
  pthread_mutex_unlock(&mu);
  while (done != NULL) {
    send_req *next = done->next;
    free_send(env, done);
    done = next;
  }
  while (messages != NULL) {
    recv_msg *next = messages->next;
    pool_give(messages->data, messages->len);
    free(messages);
    messages = next;
  }
  MPI_Finalize();
  napi_release_threadsafe_function(tsfn, napi_tsfn_release);
  tsfn = NULL;
  return NULL;
}

/* release(handle): the message's memory goes back to the pool now, not when its Buffer is
 * collected. Only for a Buffer that nothing reads any more (decoded, with no views into it). */
static napi_value js_release(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  double handle = 0;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 1 || napi_get_value_double(env, argv[0], &handle) != napi_ok || handle == 0) return NULL;
  received *r = (received *)(uintptr_t)handle;
  if (!r->released) {
    r->released = 1;
    pool_give(r->data, r->len);
  }
  return NULL;
}

/* abort(code): MPI_Abort on every rank of the job. */
static napi_value js_abort(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int code = 1;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc > 0) napi_get_value_int32(env, argv[0], &code);
  if (initialized && !finalized) MPI_Abort(MPI_COMM_WORLD, code);
  exit(code);
  return NULL;
}

/* ref(bool): whether pending receives keep the Node.js event loop alive. */
static napi_value js_ref(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  bool on = true;
  CHECK(env, napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc > 0) napi_get_value_bool(env, argv[0], &on);
  if (tsfn != NULL) {
    if (on) napi_ref_threadsafe_function(env, tsfn);
    else napi_unref_threadsafe_function(env, tsfn);
  }
  return NULL;
}

static napi_value js_version(napi_env env, napi_callback_info info) {
  (void)info;
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(version, &len);
  napi_value result;
  CHECK(env, napi_create_string_utf8(env, version, (size_t)len, &result));
  return result;
}

static napi_value module_init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"init", NULL, js_init, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_default, NULL},
      {"finalize", NULL, js_finalize, NULL, NULL, NULL, napi_default, NULL},
      {"abort", NULL, js_abort, NULL, NULL, NULL, napi_default, NULL},
      {"release", NULL, js_release, NULL, NULL, NULL, napi_default, NULL},
      {"ref", NULL, js_ref, NULL, NULL, NULL, napi_default, NULL},
      {"libraryVersion", NULL, js_version, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, module_init)
