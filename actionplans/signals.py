from actionplans.services import strands_ensure_guidance


def give_new_compact_the_guidance_strands(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """Every new Compact's plan starts with the guidance's four strands."""
    if created and not raw:
        strands_ensure_guidance(compact=instance)
