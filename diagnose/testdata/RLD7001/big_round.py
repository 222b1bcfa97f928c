import autogen

llm_config = {"config_list": autogen.config_list_from_json("OAI_CONFIG_LIST")}
planner = autogen.AssistantAgent("planner", llm_config=llm_config)
engineer = autogen.AssistantAgent("engineer", llm_config=llm_config)
critic = autogen.AssistantAgent("critic", llm_config=llm_config)
user = autogen.UserProxyAgent("admin", human_input_mode="TERMINATE")

ROUNDS = 100
groupchat = autogen.GroupChat(agents=[user, planner, engineer, critic], messages=[], max_round=ROUNDS)  # want RLD7001 "groupchat has max_round=100 with speaker_selection_method \"auto\"" RLD1003 "max_round=100"
manager = autogen.GroupChatManager(groupchat=groupchat, llm_config=llm_config)
user.initiate_chat(manager, message="Build a snake game.")
