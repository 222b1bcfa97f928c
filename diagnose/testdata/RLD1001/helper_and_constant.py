from autogen import ConversableAgent

MAX_REPLIES = 50
cfg = {"config_list": [{"model": "gpt-4o-mini", "api_key": "sk-placeholder"}]}


def make_agent(name, system):
    return ConversableAgent(name, system_message=system, llm_config=cfg, human_input_mode="NEVER", max_consecutive_auto_reply=MAX_REPLIES)


student = make_agent("student", "You are a student.")  # want RLD1001 "student \(human_input_mode=\"NEVER\", max_consecutive_auto_reply=50\) and teacher"
teacher = make_agent("teacher", "You are a teacher.")

result = student.initiate_chat(teacher, message="Teach me about triangles.")
