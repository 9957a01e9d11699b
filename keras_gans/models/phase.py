"""`Phase`: one part of a train step: a network, its optimizer's update and its terms."""


class Phase:
    """A part of a train step: one optimizer update of one network on its terms.

    A train step runs its phases in order (stylegan2-ada's `loss.py` builds its
    steps the same way): the discriminator's main phase `repeats` times, each
    time on the next real batch (`n_critic`), then any lazy discriminator
    phase, then the generator's main phase and any lazy generator phase. A lazy
    phase runs when the step counter is a multiple of its `interval`; its terms
    are weighted `interval` times as much.

    Args:
        name: e.g. `"discriminator"`, `"discriminator_every_16"`.
        network: `"discriminator"` or `"generator"`.
        terms: the terms whose values the phase sums (`keras_gans.terms.Term`).
        interval: run every `interval` train steps.
        repeats: updates per train step (each on its own real batch).

    Example:

    ```python
    [(p.name, p.repeats, p.interval, [t.name for t in p.terms]) for p in gan.phases]
    # [('discriminator', 5, 1, ['d_loss', 'gradient_penalty']), ('generator', 1, 1, ['g_loss'])]
    ```
    """

    def __init__(self, name, network, terms, interval=1, repeats=1):
        self.name = name
        self.network = network
        self.terms = tuple(terms)
        self.interval = int(interval)
        self.repeats = int(repeats)

    @property
    def gain(self):
        """Multiplier of the terms' weights (the interval, for lazy phases)."""
        return float(self.interval)

    def __repr__(self):
        names = ", ".join(t.name for t in self.terms)
        return f"Phase({self.name!r}, repeats={self.repeats}, interval={self.interval}, terms=[{names}])"


def build_phases(terms, n_critic):
    """The phases of a train step from the model's terms (main phases first).

    Terms with `interval == 1` join their network's main phase; the others form
    one lazy phase per network and interval. The discriminator's main phase
    repeats `n_critic` times.
    """
    phases = []
    for network in ("discriminator", "generator"):
        own = [t for t in terms if t.network == network and t.log_names]
        main = [t for t in own if t.interval == 1]
        phases.append(Phase(network, network, main, repeats=n_critic if network == "discriminator" else 1))
        for interval in sorted({t.interval for t in own if t.interval > 1}):
            lazy = [t for t in own if t.interval == interval]
            phases.append(Phase(f"{network}_every_{interval}", network, lazy, interval=interval))
    return phases
