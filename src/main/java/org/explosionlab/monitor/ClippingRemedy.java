package org.explosionlab.monitor;


/** A {@link ClippingRule} as an installable {@link Remedy}. */
final class ClippingRemedy extends Remedy {
    private final ClippingRule rule;

    ClippingRemedy(ClippingRule rule) {
        this.rule = rule;
    }

    @Override
    public int stage() {
        return CLIP;
    }

    ClippingRule rule() {
        return rule;
    }

    @Override
    public Outcome apply(RawGradient step) {
        ClipResult r = rule.apply(step.gradient(), step.params(), step.k(), step.layout());
        return new Outcome(r.clipped(), false, r.threshold());
    }

    @Override
    public String toString() {
        return rule.toString();
    }
}
