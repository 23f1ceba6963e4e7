/*
 * b2c wire-protocol shim (protocol version 1) around libcbor.
 *
 * One JSON request per line on stdin, exactly one JSON response per request on
 * stdout; stdout carries protocol lines only, diagnostics go to stderr.  See
 * docs/wire-protocol.md and shims/README.md.
 *
 * cbor.decode: cbor_load() on the whole input; success with read < length is
 * cbor.trailing_bytes; the answer's "encoded" is cbor_serialize_alloc() of the
 * loaded item (libcbor's own encoder, which keeps the widths and indefinite
 * lengths it decoded and does not sort map keys).
 */
#define _POSIX_C_SOURCE 200809L

#include <cbor.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROTOCOL_VERSION 1
#define MAX_LINE_BYTES 16777216
#define JSON_MAX_DEPTH 256

#define STR_(x) #x
#define STR(x) STR_(x)
#define LIBCBOR_VERSION_STRING \
  STR(CBOR_MAJOR_VERSION) "." STR(CBOR_MINOR_VERSION) "." STR(CBOR_PATCH_VERSION)

static void logmsg(const char *fmt, ...) {
  va_list ap;
  fputs("libcbor-shim: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  fflush(stderr);
}

/* ------------------------------------------------------------------------ */
/* Growable output buffer. Allocation failure sets `oom` instead of crashing. */

typedef struct {
  char *p;
  size_t len, cap;
  int oom;
} sbuf;

static void sb_reserve(sbuf *b, size_t extra) {
  if (b->oom) return;
  if (extra > SIZE_MAX - b->len - 1) { b->oom = 1; return; }
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return;
  size_t ncap = b->cap ? b->cap : 256;
  while (ncap < need) {
    if (ncap > SIZE_MAX / 2) { ncap = need; break; }
    ncap *= 2;
  }
  char *np = realloc(b->p, ncap);
  if (!np) { b->oom = 1; return; }
  b->p = np;
  b->cap = ncap;
}

static void sb_mem(sbuf *b, const char *s, size_t n) {
  sb_reserve(b, n);
  if (b->oom) return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_mem(b, s, strlen(s)); }

static void sb_fmt(sbuf *b, const char *fmt, ...) {
  char tmp[128];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0) return;
  if ((size_t)n >= sizeof tmp) n = (int)sizeof tmp - 1;
  sb_mem(b, tmp, (size_t)n);
}

/* A JSON string literal; non-ASCII and control bytes are escaped. */
static void sb_json_string(sbuf *b, const char *s, size_t n) {
  static const char hexd[] = "0123456789abcdef";
  sb_mem(b, "\"", 1);
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') {
      char e[2] = {'\\', (char)c};
      sb_mem(b, e, 2);
    } else if (c == '\n') {
      sb_mem(b, "\\n", 2);
    } else if (c < 0x20 || c >= 0x7f) {
      char e[6] = {'\\', 'u', '0', '0', hexd[c >> 4], hexd[c & 15]};
      sb_mem(b, e, 6);
    } else {
      sb_mem(b, (const char *)&c, 1);
    }
  }
  sb_mem(b, "\"", 1);
}

static void sb_hex(sbuf *b, const unsigned char *d, size_t n) {
  static const char hexd[] = "0123456789abcdef";
  if (n > (SIZE_MAX - 1) / 2) { b->oom = 1; return; }
  sb_reserve(b, 2 * n);
  if (b->oom) return;
  for (size_t i = 0; i < n; i++) {
    b->p[b->len++] = hexd[d[i] >> 4];
    b->p[b->len++] = hexd[d[i] & 15];
  }
  b->p[b->len] = '\0';
}

/* ------------------------------------------------------------------------ */
/* Responses */

static int write_line(const char *s, size_t n) {
  if (fwrite(s, 1, n, stdout) != n || fputc('\n', stdout) == EOF || fflush(stdout) != 0) {
    logmsg("write to stdout failed: %s", strerror(errno));
    return -1;
  }
  return 0;
}

/* Sends `body` (which must hold one complete JSON response) or, if building it
 * ran out of memory, a short err response for the same id. */
static int send_response(sbuf *body, const char *id) {
  int rc;
  if (!body->oom) {
    rc = write_line(body->p, body->len);
  } else {
    char fallback[512];
    int n = snprintf(fallback, sizeof fallback,
                     "{\"v\":1,\"id\":%s,\"err\":{\"code\":\"cbor.limit_exceeded\","
                     "\"detail\":\"shim ran out of memory building the response\"}}",
                     id);
    if (n < 0 || (size_t)n >= sizeof fallback) {
      logmsg("response for an over-long id dropped");
      rc = 0;
    } else {
      rc = write_line(fallback, (size_t)n);
    }
  }
  free(body->p);
  body->p = NULL;
  body->len = body->cap = 0;
  body->oom = 0;
  return rc;
}

static void begin_response(sbuf *b, const char *id) {
  sb_str(b, "{\"v\":1,\"id\":");
  sb_str(b, id);
  sb_str(b, ",");
}

static int reply_err(const char *id, const char *code, const char *detail, long long offset) {
  sbuf b = {0};
  begin_response(&b, id);
  sb_str(&b, "\"err\":{\"code\":");
  sb_json_string(&b, code, strlen(code));
  sb_str(&b, ",\"detail\":");
  sb_json_string(&b, detail, strlen(detail));
  if (offset >= 0) sb_fmt(&b, ",\"offset\":%lld", offset);
  sb_str(&b, "}}");
  return send_response(&b, id);
}

static int reply_unsupported(const char *id, const char *reason, const char *what, size_t what_len) {
  sbuf b = {0};
  sbuf r = {0};
  sb_str(&r, reason);
  if (what) sb_mem(&r, what, what_len > 200 ? 200 : what_len);
  begin_response(&b, id);
  sb_str(&b, "\"unsupported\":{\"reason\":");
  if (r.oom || !r.p) sb_json_string(&b, reason, strlen(reason));
  else sb_json_string(&b, r.p, r.len);
  sb_str(&b, "}}");
  free(r.p);
  return send_response(&b, id);
}

/* ------------------------------------------------------------------------ */
/* A small, total JSON scanner for one request line.
 *
 * It validates the whole line as one JSON object (RFC 8259 grammar, UTF-8 in
 * strings, nesting up to JSON_MAX_DEPTH) and extracts the top-level members
 * v, id, op, args and, inside args, data and profile, in any order.  Every
 * other member is validated and skipped. */

typedef struct {
  const unsigned char *s;
  size_t n, pos;
  const char *err; /* first error, static text */
  size_t err_pos;
} jscan;

typedef struct {
  char *p;   /* decoded, NUL-terminated (may contain NULs via \u0000) */
  size_t len;
  int present;
} jstr;

typedef struct {
  int v_present, v_ok;
  char *id; /* raw JSON token text (number or string), NUL-terminated */
  jstr op;
  int args_present, args_is_object;
  jstr data, profile;
  int data_bad_type, profile_bad_type;
  int duplicate;
} request;

static int js_fail(jscan *j, const char *msg) {
  if (!j->err) {
    j->err = msg;
    j->err_pos = j->pos;
  }
  return -1;
}

static void js_ws(jscan *j) {
  while (j->pos < j->n) {
    unsigned char c = j->s[j->pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') j->pos++;
    else break;
  }
}

static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0 if ill-formed. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned char c = s[0];
  if (c < 0x80) return 1;
  size_t len;
  unsigned char lo = 0x80, hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) len = 2;
  else if (c == 0xe0) { len = 3; lo = 0xa0; }
  else if (c >= 0xe1 && c <= 0xec) len = 3;
  else if (c == 0xed) { len = 3; hi = 0x9f; }
  else if (c >= 0xee && c <= 0xef) len = 3;
  else if (c == 0xf0) { len = 4; lo = 0x90; }
  else if (c >= 0xf1 && c <= 0xf3) len = 4;
  else if (c == 0xf4) { len = 4; hi = 0x8f; }
  else return 0;
  if (n < len) return 0;
  if (s[1] < lo || s[1] > hi) return 0;
  for (size_t i = 2; i < len; i++)
    if (s[i] < 0x80 || s[i] > 0xbf) return 0;
  return len;
}

static int read_hex4(jscan *j, unsigned *out) {
  if (j->n - j->pos < 4) return js_fail(j, "truncated \\u escape");
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    int h = hexval(j->s[j->pos + i]);
    if (h < 0) return js_fail(j, "bad hex digit in \\u escape");
    v = (v << 4) | (unsigned)h;
  }
  j->pos += 4;
  *out = v;
  return 0;
}

/* Scans a string starting at '"'.  With `out`, stores the decoded value
 * (caller frees out->p).  Decoded text is never longer than the raw text. */
static int js_string(jscan *j, jstr *out) {
  if (j->pos >= j->n || j->s[j->pos] != '"') return js_fail(j, "expected a string");
  size_t start = ++j->pos;
  char *buf = NULL;
  size_t blen = 0;
  if (out) {
    /* upper bound: raw remainder of the line */
    buf = malloc(j->n - start + 1);
    if (!buf) return js_fail(j, "out of memory");
  }
  for (;;) {
    if (j->pos >= j->n) { free(buf); return js_fail(j, "unterminated string"); }
    unsigned char c = j->s[j->pos];
    if (c == '"') { j->pos++; break; }
    if (c < 0x20) { free(buf); return js_fail(j, "control character in string"); }
    if (c == '\\') {
      j->pos++;
      if (j->pos >= j->n) { free(buf); return js_fail(j, "unterminated escape"); }
      unsigned char e = j->s[j->pos++];
      char lit = 0;
      switch (e) {
        case '"': lit = '"'; break;
        case '\\': lit = '\\'; break;
        case '/': lit = '/'; break;
        case 'b': lit = '\b'; break;
        case 'f': lit = '\f'; break;
        case 'n': lit = '\n'; break;
        case 'r': lit = '\r'; break;
        case 't': lit = '\t'; break;
        case 'u': {
          unsigned cp;
          if (read_hex4(j, &cp) < 0) { free(buf); return -1; }
          if (cp >= 0xdc00 && cp <= 0xdfff) { free(buf); return js_fail(j, "lone low surrogate escape"); }
          if (cp >= 0xd800 && cp <= 0xdbff) {
            unsigned lo;
            if (j->n - j->pos < 2 || j->s[j->pos] != '\\' || j->s[j->pos + 1] != 'u') {
              free(buf);
              return js_fail(j, "lone high surrogate escape");
            }
            j->pos += 2;
            if (read_hex4(j, &lo) < 0) { free(buf); return -1; }
            if (lo < 0xdc00 || lo > 0xdfff) { free(buf); return js_fail(j, "bad surrogate pair"); }
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          }
          if (buf) { /* at most 4 bytes for >= 6 raw bytes consumed */
            if (cp < 0x80) buf[blen++] = (char)cp;
            else if (cp < 0x800) {
              buf[blen++] = (char)(0xc0 | (cp >> 6));
              buf[blen++] = (char)(0x80 | (cp & 0x3f));
            } else if (cp < 0x10000) {
              buf[blen++] = (char)(0xe0 | (cp >> 12));
              buf[blen++] = (char)(0x80 | ((cp >> 6) & 0x3f));
              buf[blen++] = (char)(0x80 | (cp & 0x3f));
            } else {
              buf[blen++] = (char)(0xf0 | (cp >> 18));
              buf[blen++] = (char)(0x80 | ((cp >> 12) & 0x3f));
              buf[blen++] = (char)(0x80 | ((cp >> 6) & 0x3f));
              buf[blen++] = (char)(0x80 | (cp & 0x3f));
            }
          }
          continue;
        }
        default:
          free(buf);
          return js_fail(j, "unknown escape in string");
      }
      if (buf) buf[blen++] = lit;
      continue;
    }
    size_t len = utf8_seq(j->s + j->pos, j->n - j->pos);
    if (len == 0) { free(buf); return js_fail(j, "invalid UTF-8 in string"); }
    if (buf) { memcpy(buf + blen, j->s + j->pos, len); blen += len; }
    j->pos += len;
  }
  if (out) {
    buf[blen] = '\0';
    free(out->p);
    out->p = buf;
    out->len = blen;
    out->present = 1;
  }
  return 0;
}

static int js_number(jscan *j) {
  size_t p = j->pos;
  if (p < j->n && j->s[p] == '-') p++;
  if (p >= j->n) { j->pos = p; return js_fail(j, "bad number"); }
  if (j->s[p] == '0') p++;
  else if (j->s[p] >= '1' && j->s[p] <= '9') { while (p < j->n && j->s[p] >= '0' && j->s[p] <= '9') p++; }
  else { j->pos = p; return js_fail(j, "bad number"); }
  if (p < j->n && j->s[p] == '.') {
    p++;
    if (p >= j->n || j->s[p] < '0' || j->s[p] > '9') { j->pos = p; return js_fail(j, "bad fraction"); }
    while (p < j->n && j->s[p] >= '0' && j->s[p] <= '9') p++;
  }
  if (p < j->n && (j->s[p] == 'e' || j->s[p] == 'E')) {
    p++;
    if (p < j->n && (j->s[p] == '+' || j->s[p] == '-')) p++;
    if (p >= j->n || j->s[p] < '0' || j->s[p] > '9') { j->pos = p; return js_fail(j, "bad exponent"); }
    while (p < j->n && j->s[p] >= '0' && j->s[p] <= '9') p++;
  }
  j->pos = p;
  return 0;
}

static int js_literal(jscan *j, const char *lit) {
  size_t l = strlen(lit);
  if (j->n - j->pos < l || memcmp(j->s + j->pos, lit, l) != 0) return js_fail(j, "unexpected token");
  j->pos += l;
  return 0;
}

static int js_skip_value(jscan *j, int depth);

static int js_skip_container(jscan *j, int depth, unsigned char close) {
  if (depth >= JSON_MAX_DEPTH) return js_fail(j, "JSON nesting too deep");
  j->pos++; /* the opening bracket */
  js_ws(j);
  if (j->pos < j->n && j->s[j->pos] == close) { j->pos++; return 0; }
  for (;;) {
    if (close == '}') {
      js_ws(j);
      if (js_string(j, NULL) < 0) return -1;
      js_ws(j);
      if (j->pos >= j->n || j->s[j->pos] != ':') return js_fail(j, "expected ':'");
      j->pos++;
    }
    js_ws(j);
    if (js_skip_value(j, depth + 1) < 0) return -1;
    js_ws(j);
    if (j->pos >= j->n) return js_fail(j, "unterminated container");
    if (j->s[j->pos] == ',') { j->pos++; continue; }
    if (j->s[j->pos] == close) { j->pos++; return 0; }
    return js_fail(j, "expected ',' or closing bracket");
  }
}

static int js_skip_value(jscan *j, int depth) {
  if (j->pos >= j->n) return js_fail(j, "expected a value");
  unsigned char c = j->s[j->pos];
  switch (c) {
    case '{': return js_skip_container(j, depth, '}');
    case '[': return js_skip_container(j, depth, ']');
    case '"': return js_string(j, NULL);
    case 't': return js_literal(j, "true");
    case 'f': return js_literal(j, "false");
    case 'n': return js_literal(j, "null");
    default:
      if (c == '-' || (c >= '0' && c <= '9')) return js_number(j);
      return js_fail(j, "unexpected character");
  }
}

static int key_is(const jstr *k, const char *name) {
  size_t l = strlen(name);
  return k->len == l && memcmp(k->p, name, l) == 0;
}

/* Optional string member: stores it, or records a wrong type and skips it. */
static int js_string_member(jscan *j, jstr *dst, int *bad_type, int *dup) {
  if (dst->present || *bad_type) *dup = 1;
  if (j->pos < j->n && j->s[j->pos] == '"') return js_string(j, dst);
  *bad_type = 1;
  return js_skip_value(j, 1);
}

static int js_args(jscan *j, request *r) {
  /* at '{' */
  j->pos++;
  js_ws(j);
  if (j->pos < j->n && j->s[j->pos] == '}') { j->pos++; return 0; }
  jstr key = {0};
  for (;;) {
    js_ws(j);
    if (js_string(j, &key) < 0) { free(key.p); return -1; }
    js_ws(j);
    if (j->pos >= j->n || j->s[j->pos] != ':') { free(key.p); return js_fail(j, "expected ':'"); }
    j->pos++;
    js_ws(j);
    int rc;
    if (key_is(&key, "data")) rc = js_string_member(j, &r->data, &r->data_bad_type, &r->duplicate);
    else if (key_is(&key, "profile")) rc = js_string_member(j, &r->profile, &r->profile_bad_type, &r->duplicate);
    else rc = js_skip_value(j, 2);
    if (rc < 0) { free(key.p); return -1; }
    js_ws(j);
    if (j->pos >= j->n) { free(key.p); return js_fail(j, "unterminated args object"); }
    if (j->s[j->pos] == ',') { j->pos++; continue; }
    if (j->s[j->pos] == '}') { j->pos++; break; }
    free(key.p);
    return js_fail(j, "expected ',' or '}' in args");
  }
  free(key.p);
  return 0;
}

static int js_request(jscan *j, request *r) {
  js_ws(j);
  if (j->pos >= j->n || j->s[j->pos] != '{') return js_fail(j, "request is not a JSON object");
  j->pos++;
  js_ws(j);
  if (j->pos < j->n && j->s[j->pos] == '}') { j->pos++; goto done; }
  jstr key = {0};
  for (;;) {
    js_ws(j);
    if (js_string(j, &key) < 0) { free(key.p); return -1; }
    js_ws(j);
    if (j->pos >= j->n || j->s[j->pos] != ':') { free(key.p); return js_fail(j, "expected ':'"); }
    j->pos++;
    js_ws(j);
    int rc = 0;
    if (key_is(&key, "id")) {
      size_t start = j->pos;
      if (r->id) r->duplicate = 1;
      if (j->pos < j->n && j->s[j->pos] == '"') rc = js_string(j, NULL);
      else if (j->pos < j->n && (j->s[j->pos] == '-' || (j->s[j->pos] >= '0' && j->s[j->pos] <= '9')))
        rc = js_number(j);
      else rc = js_fail(j, "id must be a number or a string");
      if (rc == 0 && !r->id) {
        size_t len = j->pos - start;
        if (len > 256) rc = js_fail(j, "id is too long");
        else {
          r->id = malloc(len + 1);
          if (!r->id) rc = js_fail(j, "out of memory");
          else { memcpy(r->id, j->s + start, len); r->id[len] = '\0'; }
        }
      }
    } else if (key_is(&key, "v")) {
      size_t start = j->pos;
      if (r->v_present) r->duplicate = 1;
      r->v_present = 1;
      if (j->pos < j->n && (j->s[j->pos] == '-' || (j->s[j->pos] >= '0' && j->s[j->pos] <= '9'))) {
        rc = js_number(j);
        r->v_ok = (rc == 0 && j->pos - start == 1 && j->s[start] == '1');
      } else {
        rc = js_skip_value(j, 1);
        r->v_ok = 0;
      }
    } else if (key_is(&key, "op")) {
      int bad = 0;
      rc = js_string_member(j, &r->op, &bad, &r->duplicate);
      if (bad) { free(r->op.p); r->op.p = NULL; r->op.present = 0; r->op.len = 0; }
      if (bad && rc == 0) rc = js_fail(j, "op must be a string");
    } else if (key_is(&key, "args")) {
      if (r->args_present) r->duplicate = 1;
      r->args_present = 1;
      if (j->pos < j->n && j->s[j->pos] == '{') {
        r->args_is_object = 1;
        rc = js_args(j, r);
      } else {
        r->args_is_object = 0;
        rc = js_skip_value(j, 1);
      }
    } else {
      rc = js_skip_value(j, 1);
    }
    if (rc < 0) { free(key.p); return -1; }
    js_ws(j);
    if (j->pos >= j->n) { free(key.p); return js_fail(j, "unterminated request object"); }
    if (j->s[j->pos] == ',') { j->pos++; continue; }
    if (j->s[j->pos] == '}') { j->pos++; break; }
    free(key.p);
    return js_fail(j, "expected ',' or '}'");
  }
  free(key.p);
done:
  js_ws(j);
  if (j->pos != j->n) return js_fail(j, "extra characters after the request object");
  return 0;
}

static void request_free(request *r) {
  free(r->id);
  free(r->op.p);
  free(r->data.p);
  free(r->profile.p);
  memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------------------ */
/* Operations */

static int op_hello(const char *id) {
  sbuf b = {0};
  begin_response(&b, id);
  sb_str(&b, "\"ok\":{\"protocol\":1,\"implementation\":{\"name\":\"libcbor\",\"version\":\""
             LIBCBOR_VERSION_STRING "\"},\"capabilities\":{\"cbor.decode\":{\"profiles\":[\"valid\"]}},"
             "\"limits\":{\"maxLineBytes\":" STR(MAX_LINE_BYTES) ",\"maxInFlight\":1}}}");
  return send_response(&b, id);
}

static const char *load_error_name(cbor_error_code c) {
  switch (c) {
    case CBOR_ERR_NONE: return "CBOR_ERR_NONE";
    case CBOR_ERR_NOTENOUGHDATA: return "CBOR_ERR_NOTENOUGHDATA";
    case CBOR_ERR_NODATA: return "CBOR_ERR_NODATA";
    case CBOR_ERR_MALFORMATED: return "CBOR_ERR_MALFORMATED";
    case CBOR_ERR_MEMERROR: return "CBOR_ERR_MEMERROR";
    case CBOR_ERR_SYNTAXERROR: return "CBOR_ERR_SYNTAXERROR";
  }
  return "unknown cbor_error_code";
}

static int op_decode(const char *id, request *r) {
  if (r->args_present && !r->args_is_object)
    return reply_err(id, "wire.bad_request", "args must be an object", -1);
  if (r->profile_bad_type) return reply_err(id, "wire.bad_request", "args.profile must be a string", -1);
  if (r->profile.present && !(r->profile.len == 5 && memcmp(r->profile.p, "valid", 5) == 0)) {
    if (r->profile.len == 13 && memcmp(r->profile.p, "deterministic", 13) == 0)
      return reply_unsupported(id, "profile deterministic not implemented (libcbor has no deterministic-decoding mode)",
                               NULL, 0);
    return reply_unsupported(id, "unknown profile: ", r->profile.p, r->profile.len);
  }
  if (!r->data.present || r->data_bad_type)
    return reply_err(id, "wire.bad_request", "args.data must be a hex string", -1);
  if (r->data.len % 2 != 0) return reply_err(id, "wire.bad_request", "args.data has odd length", -1);

  size_t n = r->data.len / 2;
  unsigned char *bytes = malloc(n ? n : 1);
  if (!bytes) return reply_err(id, "cbor.limit_exceeded", "shim could not allocate the input buffer", -1);
  for (size_t i = 0; i < n; i++) {
    int hi = hexval((unsigned char)r->data.p[2 * i]);
    int lo = hexval((unsigned char)r->data.p[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      free(bytes);
      return reply_err(id, "wire.bad_request", "args.data is not a hex string", -1);
    }
    bytes[i] = (unsigned char)((hi << 4) | lo);
  }

  struct cbor_load_result res;
  memset(&res, 0, sizeof res);
  cbor_item_t *item = cbor_load(bytes, n, &res);
  int rc;
  char detail[160];
  if (res.error.code != CBOR_ERR_NONE || item == NULL) {
    const char *code;
    switch (res.error.code) {
      case CBOR_ERR_NOTENOUGHDATA:
      case CBOR_ERR_NODATA: code = "cbor.truncated"; break;
      default: code = "cbor.malformed"; break;
    }
    snprintf(detail, sizeof detail, "cbor_load: %s at offset %zu", load_error_name(res.error.code),
             res.error.position);
    if (item) cbor_decref(&item);
    rc = reply_err(id, code, detail, (long long)res.error.position);
  } else if (res.read < n) {
    snprintf(detail, sizeof detail, "cbor_load read %zu of %zu bytes", res.read, n);
    cbor_decref(&item);
    rc = reply_err(id, "cbor.trailing_bytes", detail, (long long)res.read);
  } else {
    unsigned char *out = NULL;
    size_t out_cap = 0;
    size_t out_len = cbor_serialize_alloc(item, &out, &out_cap);
    sbuf b = {0};
    begin_response(&b, id);
    sb_str(&b, "\"ok\":{\"encoded\":");
    if (out_len == 0) {
      sb_str(&b, "null,\"note\":\"decoded, but cbor_serialize_alloc failed\"");
    } else {
      sb_str(&b, "\"");
      sb_hex(&b, out, out_len);
      sb_str(&b, "\"");
    }
    sb_str(&b, ",\"diag\":\"\"}}");
    free(out);
    cbor_decref(&item);
    rc = send_response(&b, id);
  }
  free(bytes);
  return rc;
}

/* Returns 1 to continue, 0 after bye, -1 when stdout is gone. */
static int handle_line(const char *line, size_t len) {
  request r;
  memset(&r, 0, sizeof r);
  jscan j = {(const unsigned char *)line, len, 0, NULL, 0};
  int rc;
  if (js_request(&j, &r) < 0) {
    logmsg("malformed request line (%zu bytes): %s at offset %zu", len, j.err, j.err_pos);
    if (r.id) {
      char detail[160];
      snprintf(detail, sizeof detail, "request is not valid JSON: %s at offset %zu", j.err, j.err_pos);
      rc = reply_err(r.id, "wire.bad_request", detail, -1) < 0 ? -1 : 1;
    } else {
      rc = 1;
    }
    request_free(&r);
    return rc;
  }
  if (!r.id) {
    logmsg("request without an id ignored (%zu bytes)", len);
    request_free(&r);
    return 1;
  }
  const char *id = r.id;
  int w;
  if (r.duplicate) {
    w = reply_err(id, "wire.bad_request", "duplicate member in request", -1);
    rc = 1;
  } else if (!r.v_present || !r.v_ok) {
    w = reply_err(id, "wire.bad_request", "unsupported or missing protocol version (v must be 1)", -1);
    rc = 1;
  } else if (!r.op.present) {
    w = reply_err(id, "wire.bad_request", "op must be a string", -1);
    rc = 1;
  } else if (r.op.len == 5 && memcmp(r.op.p, "hello", 5) == 0) {
    w = op_hello(id);
    rc = 1;
  } else if (r.op.len == 11 && memcmp(r.op.p, "cbor.decode", 11) == 0) {
    w = op_decode(id, &r);
    rc = 1;
  } else if (r.op.len == 3 && memcmp(r.op.p, "bye", 3) == 0) {
    sbuf b = {0};
    begin_response(&b, id);
    sb_str(&b, "\"ok\":{}}");
    w = send_response(&b, id);
    rc = 0;
  } else {
    w = reply_unsupported(id, "op not implemented: ", r.op.p, r.op.len);
    rc = 1;
  }
  request_free(&r);
  return w < 0 ? -1 : rc;
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  char *line = NULL;
  size_t cap = 0;
  int status = 0;
  for (;;) {
    errno = 0;
    ssize_t got = getline(&line, &cap, stdin);
    if (got < 0) {
      if (errno != 0 && !feof(stdin)) logmsg("stdin read failed: %s", strerror(errno));
      break;
    }
    size_t len = (size_t)got;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t')) k++;
    if (k == len) continue; /* blank line */
    int rc = handle_line(line, len);
    if (rc <= 0) {
      status = rc < 0 ? 1 : 0;
      break;
    }
  }
  free(line);
  return status;
}
