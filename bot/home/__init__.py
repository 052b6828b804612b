"""The App Home: what each person sees when they open copbot."""
