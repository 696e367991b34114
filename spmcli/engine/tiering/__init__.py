"""Customer tiering (SPEC §5 ``spm tier-customers``): ABC by value, potential, customer
types, tier migration and call-plan compliance. ``tier_customers`` is the entry point."""

from spmcli.engine.tiering.result import POTENTIALS, STRATEGIES, TIERS, TYPES, Span, Tiers
from spmcli.engine.tiering.tiers import tier_customers

__all__ = ["POTENTIALS", "STRATEGIES", "TIERS", "TYPES", "Span", "Tiers", "tier_customers"]
