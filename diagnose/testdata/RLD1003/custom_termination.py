import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": 42}
a = autogen.AssistantAgent("a", llm_config=llm_config)
b = autogen.AssistantAgent("b", llm_config=llm_config)
admin = autogen.UserProxyAgent("admin", human_input_mode="NEVER", code_execution_config=False)
done = lambda m: "TERMINATE" in (m.get("content") or "")

# The manager stops on TERMINATE anywhere: max_round is only a backstop.
gc = autogen.GroupChat(agents=[admin, a, b], messages=[], max_round=60, speaker_selection_method="round_robin")
manager = autogen.GroupChatManager(groupchat=gc, llm_config=llm_config, is_termination_msg=done)

# An agent with its own check ends the chat by not replying.
reviewer = autogen.UserProxyAgent("reviewer", human_input_mode="NEVER", code_execution_config=False, is_termination_msg=done)
gc2 = autogen.GroupChat([reviewer, a, b], [], max_round=80, speaker_selection_method="round_robin")
manager2 = autogen.GroupChatManager(gc2, llm_config=llm_config)

# Nobody checks: the cap is the only stop.
gc3 = autogen.GroupChat(agents=[admin, a, b], messages=[], max_round=60, speaker_selection_method="round_robin")  # want RLD1003 "gc3 allows max_round=60"
manager3 = autogen.GroupChatManager(groupchat=gc3, llm_config=llm_config)
admin.initiate_chat(manager3, message="go")
