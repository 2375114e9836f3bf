package org.explosionlab.remedy;

import org.explosionlab.monitor.RawGradient;

/** A {@link ClippingRule} as an installable {@link Remedy}. */
final class ClippingRemedy extends Remedy {
    private final ClippingRule rule;

    ClippingRemedy(ClippingRule rule) {
        this.rule = rule;
    }

    ClippingRule rule() {
        return rule;
    }

    @Override
    public Outcome apply(RawGradient step) {
        ClipResult r = rule.apply(step.gradient(), step.params(), step.k(), step.layout());
        return new Outcome(r.clipped(), false, r.threshold());
    }
}
