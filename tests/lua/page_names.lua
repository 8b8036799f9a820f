-- tests/lua/page_names.lua — a scenario whose names are HTML, for
-- tests/test_page.c: the page must show them as text, never as markup.
local o = oversim
return {
  name = '<script>alert("scenario")</script>',
  world = o.world{
    name = '<script>alert("world")</script>',
    contexts = {
      o.context{ name = '<img src=x onerror=alert(1)>', difficulty = 0 },
      o.context{ name = 'a&b "quoted" \'single\' </pre><b>', difficulty = 2 },
    },
    behaviours = {
      o.behaviour{ name = 'good</script>', looks = 1, prior = 0.5 },
      o.behaviour{ name = '<svg onload=alert(2)>', looks = 1.2, prior = 0.5,
                   facts = { o.fact{ name = 'bug', difficulty = 1, effect = -2 } } },
    },
  },
  overseers = {},
}
