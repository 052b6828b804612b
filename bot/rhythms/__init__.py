"""A community's rhythm: schedules, discussion prompts, check-ins, review surveys and the weekly digest."""
