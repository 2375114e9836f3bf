/*
 * The Adam pass of org.explosionlab.network.NativeAdamKernel, in C with AVX2 (JNI).
 *
 * Per element, in float32 and in the order of DL4J's updaterAdam.cpp (and of ScalarAdamKernel, bit for
 * bit: separate IEEE multiply, add, divide and square root, compiled with -ffp-contract=off so that
 * no multiply-add is fused):
 *
 *   g <- g * (1/k)  (k a power of two: the same bits as g / k)   or   g <- g / k
 *   m <- b1*m + g*(1 - b1)
 *   v <- b2*v + (g*g)*(1 - b2)
 *   u <- (m*alpha) / (sqrt(v) + eps)       stored in g's buffer (DL4J keeps the update there)
 *   theta <- theta - u                     when theta is given
 *
 * A measured pass also takes, per parameter array, the figures of PassFigures: sum g^2, max |g|,
 * sum theta^2, sum |theta| (theta before the step) and sum u^2, sum |u|, with the non-finite elements
 * counted and left out, in the same loop as the update: nine vector operations per 8 elements on
 * values in registers anyway (g*g is the update's own product; the other squares are fused
 * multiply-adds, which the figures may use: they only have to be sums to float precision). Chunk by chunk (CHUNK elements), the chunk's g and theta before the step are
 * also kept in a small L1 copy. Lane sums are float within FLUSH_CHUNKS chunks (512 terms per lane),
 * then double. A chunk whose lanes turn non-finite (a NaN/Inf element, or a float overflow) keeps the
 * lanes as they were and is counted again element by element in double, from that copy and from u.
 */
#include <jni.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <immintrin.h>

#define CHUNK 512
#define FLUSH_CHUNKS 8
#define NON_FINITE_BITS 0x7f800000

typedef struct { double sq, abs, max; double bad; } sums;

static void add_exactly(sums *s, float x) {
    if (isfinite(x)) {
        double d = fabs((double) x);
        s->sq += d * d;
        s->abs += d;
        if (d > s->max) s->max = d;
    } else {
        s->bad += 1;
    }
}

__attribute__((target("avx2")))
static int lanes_non_finite(__m256 a, __m256 b) {
    __m256i bits = _mm256_and_si256(_mm256_castps_si256(_mm256_add_ps(a, b)), _mm256_set1_epi32(0x7fffffff));
    __m256i bad = _mm256_cmpgt_epi32(bits, _mm256_set1_epi32(NON_FINITE_BITS - 1));
    return !_mm256_testz_si256(bad, bad);
}

__attribute__((target("avx2")))
static int max_non_finite(__m256i maxBits) {
    __m256i bad = _mm256_cmpgt_epi32(maxBits, _mm256_set1_epi32(NON_FINITE_BITS - 1));
    return !_mm256_testz_si256(bad, bad);
}

/* One element of the update in scalar float32 (the tail of a chunk). */
static float scalar_update(float *g, float *m, float *v, float *t, int i, float scale, int divide, int k,
                           float b1, float b2, float eps, float alpha) {
    float gi = divide ? g[i] / (float) k : g[i] * scale;
    float mi = b1 * m[i] + gi * (1 - b1);
    float vi = b2 * v[i] + gi * gi * (1 - b2);
    m[i] = mi;
    v[i] = vi;
    float ui = (mi * alpha) / (sqrtf(vi) + eps);
    g[i] = ui;
    if (t) t[i] -= ui;
    return ui;
}

/* The update over [from, to), no measuring. */
__attribute__((target("avx2")))
static void update_range(float *g, float *m, float *v, float *t, int from, int to, float scale, int divide, int k,
                         float b1, float b2, float eps, float alpha) {
    const __m256 K = _mm256_set1_ps(divide ? (float) k : scale), B1 = _mm256_set1_ps(b1), B2 = _mm256_set1_ps(b2),
                 K1 = _mm256_set1_ps(1 - b1), K2 = _mm256_set1_ps(1 - b2), A = _mm256_set1_ps(alpha), E = _mm256_set1_ps(eps);
    int i = from;
    for (; i + 8 <= to; i += 8) {
        __m256 gi = _mm256_loadu_ps(g + i);
        gi = divide ? _mm256_div_ps(gi, K) : _mm256_mul_ps(gi, K);
        __m256 mi = _mm256_add_ps(_mm256_mul_ps(B1, _mm256_loadu_ps(m + i)), _mm256_mul_ps(gi, K1));
        __m256 vi = _mm256_add_ps(_mm256_mul_ps(B2, _mm256_loadu_ps(v + i)), _mm256_mul_ps(_mm256_mul_ps(gi, gi), K2));
        _mm256_storeu_ps(m + i, mi);
        _mm256_storeu_ps(v + i, vi);
        __m256 ui = _mm256_div_ps(_mm256_mul_ps(mi, A), _mm256_add_ps(_mm256_sqrt_ps(vi), E));
        _mm256_storeu_ps(g + i, ui);
        if (t) _mm256_storeu_ps(t + i, _mm256_sub_ps(_mm256_loadu_ps(t + i), ui));
    }
    for (; i < to; i++) scalar_update(g, m, v, t, i, scale, divide, k, b1, b2, eps, alpha);
}

/* Float lane accumulators of one parameter, folded into double every FLUSH_CHUNKS chunks. */
typedef struct { __m256 gsq, tsq, tabs, usq, uabs; __m256i gmax; } lanes;

__attribute__((target("avx2")))
static void clear_lanes(lanes *l) {
    l->gsq = l->tsq = l->tabs = l->usq = l->uabs = _mm256_setzero_ps();
    l->gmax = _mm256_setzero_si256();
}

__attribute__((target("avx2")))
static void flush_lanes(lanes *l, sums *raw, sums *par, sums *upd) {
    float gsq[8], tsq[8], tabs[8], usq[8], uabs[8];
    int32_t gmax[8];
    _mm256_storeu_ps(gsq, l->gsq);
    _mm256_storeu_ps(tsq, l->tsq);
    _mm256_storeu_ps(tabs, l->tabs);
    _mm256_storeu_ps(usq, l->usq);
    _mm256_storeu_ps(uabs, l->uabs);
    _mm256_storeu_si256((__m256i *) gmax, l->gmax);
    for (int j = 0; j < 8; j++) {
        float mx;
        memcpy(&mx, &gmax[j], 4);
        raw->sq += gsq[j];
        if (mx > raw->max) raw->max = mx;
        par->sq += tsq[j];
        par->abs += tabs[j];
        upd->sq += usq[j];
        upd->abs += uabs[j];
    }
    clear_lanes(l);
}

/*
 * One chunk [c, c+len) of a measured pass: the update, measuring g (divided by k) and theta as they
 * were before the step and u on the way. The chunk's g and theta before the step are kept in L1
 * (gOld, tOld), for the exact count when its lanes turn non-finite.
 */
__attribute__((target("avx2,fma")))
static void measured_chunk(float *g, float *m, float *v, float *t, int c, int len, float scale, int divide, int k,
                           float b1, float b2, float eps, float alpha, lanes *l, sums *raw, sums *par, sums *upd) {
    float gOld[CHUNK] __attribute__((aligned(32)));
    float tOld[CHUNK] __attribute__((aligned(32)));
    const __m256 ABS = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
    const __m256 K = _mm256_set1_ps(divide ? (float) k : scale);
    const __m256 B1 = _mm256_set1_ps(b1), B2 = _mm256_set1_ps(b2), K1 = _mm256_set1_ps(1 - b1),
                 K2 = _mm256_set1_ps(1 - b2), A = _mm256_set1_ps(alpha), E = _mm256_set1_ps(eps);
    int bound = len & ~7;
    float *gc = g + c, *mc = m + c, *vc = v + c, *tc = t + c;
    __m256 gsq = l->gsq, tsq = l->tsq, tabs = l->tabs, usq = l->usq, uabs = l->uabs;
    __m256i gmax = l->gmax;
    for (int i = 0; i < bound; i += 8) {
        __m256 gi = _mm256_loadu_ps(gc + i);
        gi = divide ? _mm256_div_ps(gi, K) : _mm256_mul_ps(gi, K);
        __m256 ti = _mm256_loadu_ps(tc + i);
        _mm256_store_ps(gOld + i, gi);
        _mm256_store_ps(tOld + i, ti);
        __m256 gg = _mm256_mul_ps(gi, gi);            /* the update uses this product too */
        gsq = _mm256_add_ps(gsq, gg);
        gmax = _mm256_max_epi32(gmax, _mm256_castps_si256(_mm256_and_ps(gi, ABS)));
        tsq = _mm256_fmadd_ps(ti, ti, tsq);
        tabs = _mm256_add_ps(tabs, _mm256_and_ps(ti, ABS));
        __m256 mi = _mm256_add_ps(_mm256_mul_ps(B1, _mm256_loadu_ps(mc + i)), _mm256_mul_ps(gi, K1));
        __m256 vi = _mm256_add_ps(_mm256_mul_ps(B2, _mm256_loadu_ps(vc + i)), _mm256_mul_ps(gg, K2));
        _mm256_storeu_ps(mc + i, mi);
        _mm256_storeu_ps(vc + i, vi);
        __m256 ui = _mm256_div_ps(_mm256_mul_ps(mi, A), _mm256_add_ps(_mm256_sqrt_ps(vi), E));
        _mm256_storeu_ps(gc + i, ui);
        _mm256_storeu_ps(tc + i, _mm256_sub_ps(ti, ui));
        usq = _mm256_fmadd_ps(ui, ui, usq);
        uabs = _mm256_add_ps(uabs, _mm256_and_ps(ui, ABS));
    }
    /* one test for the five float sums (a NaN/Inf in any survives their sum); the max has its own */
    if (lanes_non_finite(_mm256_add_ps(gsq, tsq), _mm256_add_ps(tabs, _mm256_add_ps(usq, uabs))) || max_non_finite(gmax)) {
        for (int i = 0; i < bound; i++) {
            add_exactly(raw, gOld[i]);
            add_exactly(par, tOld[i]);
            add_exactly(upd, gc[i]);                 /* g's buffer holds u now */
        }
    } else {
        l->gsq = gsq;
        l->tsq = tsq;
        l->tabs = tabs;
        l->gmax = gmax;
        l->usq = usq;
        l->uabs = uabs;
    }
    for (int i = bound; i < len; i++) {
        add_exactly(raw, divide ? gc[i] / (float) k : gc[i] * scale);
        add_exactly(par, tc[i]);
        add_exactly(upd, scalar_update(gc, mc, vc, tc, i, scale, divide, k, b1, b2, eps, alpha));
    }
}

static float *address(JNIEnv *env, jobject buffer) {
    return buffer == NULL ? NULL : (float *) (*env)->GetDirectBufferAddress(env, buffer);
}

JNIEXPORT jboolean JNICALL Java_org_explosionlab_network_NativeAdamKernel_supported(JNIEnv *env, jclass cls) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? JNI_TRUE : JNI_FALSE;
}

__attribute__((target("avx2")))
JNIEXPORT void JNICALL Java_org_explosionlab_network_NativeAdamKernel_update(JNIEnv *env, jclass cls,
        jobject gb, jobject mb, jobject vb, jobject tb, jint n, jfloat b1, jfloat b2, jfloat eps, jfloat alpha, jint k, jboolean divide) {
    float *g = address(env, gb), *m = address(env, mb), *v = address(env, vb), *t = address(env, tb);
    float scale = 1.0f / (float) k;                      /* used only when !divide: 1/k is exact then */
    update_range(g, m, v, t, 0, n, scale, divide, k, b1, b2, eps, alpha);
}

/*
 * bounds: offsets (relative to the block) where each parameter array starts, then the block's length.
 * out: per parameter, 9 doubles: sum g^2, max |g|, non-finite g, sum theta^2, sum |theta|,
 * non-finite theta, sum u^2, sum |u|, non-finite u.
 */
__attribute__((target("avx2,fma")))
JNIEXPORT void JNICALL Java_org_explosionlab_network_NativeAdamKernel_updateMeasured(JNIEnv *env, jclass cls,
        jobject gb, jobject mb, jobject vb, jobject tb, jint n, jfloat b1, jfloat b2, jfloat eps, jfloat alpha, jint k, jboolean divide,
        jintArray boundsArray, jdoubleArray outArray) {
    float *g = address(env, gb), *m = address(env, mb), *v = address(env, vb), *t = address(env, tb);
    float scale = 1.0f / (float) k;                      /* used only when !divide: 1/k is exact then */
    jsize params = (*env)->GetArrayLength(env, boundsArray) - 1;
    jint *bounds = (*env)->GetPrimitiveArrayCritical(env, boundsArray, NULL);
    jdouble *out = (*env)->GetPrimitiveArrayCritical(env, outArray, NULL);
    for (int q = 0; q < params; q++) {
        sums raw = {0, 0, 0, 0}, par = {0, 0, 0, 0}, upd = {0, 0, 0, 0};
        lanes l;
        clear_lanes(&l);
        int chunks = 0;
        for (int c = bounds[q]; c < bounds[q + 1]; c += CHUNK) {
            int len = bounds[q + 1] - c < CHUNK ? bounds[q + 1] - c : CHUNK;
            measured_chunk(g, m, v, t, c, len, scale, divide, k, b1, b2, eps, alpha, &l, &raw, &par, &upd);
            if (++chunks % FLUSH_CHUNKS == 0) flush_lanes(&l, &raw, &par, &upd);
        }
        flush_lanes(&l, &raw, &par, &upd);
        double *o = out + 9 * q;
        o[0] = raw.sq; o[1] = raw.max; o[2] = raw.bad;
        o[3] = par.sq; o[4] = par.abs; o[5] = par.bad;
        o[6] = upd.sq; o[7] = upd.abs; o[8] = upd.bad;
    }
    (*env)->ReleasePrimitiveArrayCritical(env, outArray, out, 0);
    (*env)->ReleasePrimitiveArrayCritical(env, boundsArray, bounds, JNI_ABORT);
}
