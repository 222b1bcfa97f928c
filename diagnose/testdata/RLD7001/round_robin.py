import autogen

llm_config = {"config_list": autogen.config_list_from_json("OAI_CONFIG_LIST")}
planner = autogen.AssistantAgent("planner", llm_config=llm_config)
engineer = autogen.AssistantAgent("engineer", llm_config=llm_config)
user = autogen.UserProxyAgent("admin", human_input_mode="TERMINATE")

groupchat = autogen.GroupChat(agents=[user, planner, engineer], messages=[], max_round=40, speaker_selection_method="round_robin")
small = autogen.GroupChat(agents=[user, planner, engineer], messages=[], max_round=12)
manager = autogen.GroupChatManager(groupchat=groupchat, llm_config=llm_config)
user.initiate_chat(manager, message="Build a snake game.")
