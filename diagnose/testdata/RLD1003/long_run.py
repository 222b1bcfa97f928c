import autogen

llm_config = {"config_list": autogen.config_list_from_json("OAI_CONFIG_LIST"), "cache_seed": 42}
user = autogen.UserProxyAgent("admin", human_input_mode="TERMINATE", code_execution_config=False)
writer = autogen.AssistantAgent("writer", llm_config=llm_config)
editor = autogen.AssistantAgent("editor", llm_config=llm_config)

gc = autogen.GroupChat(agents=[user, writer, editor], messages=[], max_round=60, speaker_selection_method="round_robin")  # want RLD1003 "gc allows max_round=60 rounds"
manager = autogen.GroupChatManager(groupchat=gc, llm_config=llm_config)
user.initiate_chat(manager, message="Write a blog post.")
