import autogen

cl = autogen.config_list_from_json("OAI_CONFIG_LIST")
bot = autogen.AssistantAgent("bot", llm_config={"config_list": cl})

# Options changed after the dict was built: the later values count.
opts = dict(human_input_mode="NEVER", code_execution_config=False)
opts.update(max_consecutive_auto_reply=5)
u1 = autogen.UserProxyAgent("u1", **opts)
u1.initiate_chat(bot, message="hi")

stop_opts = {"human_input_mode": "NEVER", "code_execution_config": False}
stop_opts["is_termination_msg"] = lambda m: "DONE" in (m.get("content") or "")
u2 = autogen.UserProxyAgent("u2", **stop_opts)
u2.initiate_chat(bot, message="hi")

# Merged from something we cannot read: not judged.
extra_opts = {"human_input_mode": "NEVER"}
extra_opts.update(load_settings())
u3 = autogen.UserProxyAgent("u3", **extra_opts)
u3.initiate_chat(bot, message="hi")

# The cap set with the agent's own method.
u4 = autogen.UserProxyAgent("u4", human_input_mode="NEVER", code_execution_config=False)
bot.update_max_consecutive_auto_reply(3)
u4.initiate_chat(bot, message="hi")

# A later change that sets something else leaves the pair unbounded.
bot2 = autogen.AssistantAgent("bot2", llm_config={"config_list": cl})
loose = {"human_input_mode": "NEVER"}
loose["code_execution_config"] = False
u5 = autogen.UserProxyAgent("u5", **loose)  # want RLD1001 "u5 \(human_input_mode=\"NEVER\", no max_consecutive_auto_reply \(default 100\)\) and bot2"
u5.initiate_chat(bot2, message="hi")
