import backoff
import openai
import autogen

config_list = autogen.config_list_from_json("OAI_CONFIG_LIST")
llm_config = {"config_list": config_list, "cache_seed": 42}

assistant = autogen.AssistantAgent("assistant", llm_config=llm_config)
user = autogen.UserProxyAgent("user", human_input_mode="NEVER", max_consecutive_auto_reply=5,
                              code_execution_config=False,
                              is_termination_msg=lambda m: "TERMINATE" in (m.get("content") or ""))


@backoff.on_exception(backoff.expo, openai.RateLimitError, max_tries=8)
def ask(question):
    return user.initiate_chat(assistant, message=question)


for q in ["Explain CAP theorem.", "Explain Raft in 5 lines."]:
    print(ask(q).summary)
