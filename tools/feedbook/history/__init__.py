"""The blog's whole history: every means a platform offers to list its posts, walked politely."""
