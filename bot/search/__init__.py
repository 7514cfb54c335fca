"""Product search for customers' questions in ordinary Chinese (see bot.search.index)."""
